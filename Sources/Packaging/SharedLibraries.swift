import Core
import Foundation

/// The shared libraries a dynamically linked ELF program loads, as the dynamic loader itself
/// resolves them: the program's interpreter (`PT_INTERP`) is asked with `--list`, so the
/// answer follows `DT_NEEDED`, `RUNPATH` and the loader's cache exactly as a real start would.
public enum SharedLibraries {
    /// One library: the name the loader looked for and the file it found.
    public struct Library: Equatable, Sendable {
        public var name: String
        public var path: String
    }

    /// The interpreter and the libraries of `program`; both empty for a static program.
    public static func closure(of program: String) throws -> (interpreter: String?, libraries: [Library]) {
        guard let interpreter = try interpreter(of: program) else { return (nil, []) }
        let outcome = try ChildProcess.capture(interpreter, ["--list", program])
        guard outcome.status == 0 else {
            throw Failure.runtime("the dynamic loader \(interpreter) could not list the libraries of \(program): \(outcome.output.prefix(500))")
        }
        let libraries = try parseList(outcome.output, interpreter: interpreter)
        return (interpreter, libraries)
    }

    /// Reads `--list` output: `name => /path (0x...)` lines and the loader's own `/path (0x...)`;
    /// the kernel's vDSO has no file and is left out.
    static func parseList(_ text: String, interpreter: String) throws -> [Library] {
        var libraries: [Library] = []
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if let arrow = line.range(of: " => ") {
                let name = String(line[..<arrow.lowerBound])
                let rest = line[arrow.upperBound...]
                guard rest.hasPrefix("/") else {
                    throw Failure.runtime("the dynamic loader cannot find \(name) (\(rest))")
                }
                libraries.append(Library(name: name, path: String(rest.prefix { $0 != " " })))
            } else if line.hasPrefix("/") {
                let path = String(line.prefix { $0 != " " })
                if path != interpreter { libraries.append(Library(name: (path as NSString).lastPathComponent, path: path)) }
            }
        }
        return libraries
    }

    /// The `PT_INTERP` path of a 64-bit little-endian ELF file; nil for a static program.
    public static func interpreter(of program: String) throws -> String? {
        guard let data = FileManager.default.contents(atPath: program) else {
            throw Failure.runtime("cannot read \(program)")
        }
        let bytes = [UInt8](data.prefix(1 << 20))
        guard bytes.count >= 64, bytes[0...3] == [0x7F, 0x45, 0x4C, 0x46] else {
            throw Failure.runtime("\(program) is not an ELF program")
        }
        guard bytes[4] == 2, bytes[5] == 1 else {
            throw Failure.runtime("\(program) is not a 64-bit little-endian ELF program")
        }
        func integer(_ offset: Int, _ width: Int) -> Int {
            guard offset + width <= bytes.count else { return -1 }
            return (0..<width).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) }
        }
        let headerOffset = integer(0x20, 8), entrySize = integer(0x36, 2), count = integer(0x38, 2)
        for index in 0..<max(count, 0) {
            let entry = headerOffset + index * entrySize
            guard integer(entry, 4) == 3 else { continue } // PT_INTERP
            let start = integer(entry + 8, 8), size = integer(entry + 0x20, 8)
            guard start >= 0, size > 0, start + size <= bytes.count else { break }
            return String(decoding: bytes[start..<(start + size)].prefix { $0 != 0 }, as: UTF8.self)
        }
        return nil
    }
}
