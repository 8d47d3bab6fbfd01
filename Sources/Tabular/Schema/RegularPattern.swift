import CRE2

/// A Table Schema `pattern` compiled with RE2, so matching takes time linear in the cell
/// (`(a+)+$` cannot blow up). Table Schema patterns match the whole cell, as if anchored.
/// Constructs RE2 cannot run in linear time (backreferences, lookaround) do not compile.
public final class RegularPattern: @unchecked Sendable { // RE2 matching is thread-safe on a const object
    /// Why a pattern does not compile, in RE2's words (`missing ): ([A-Z`).
    public struct SyntaxError: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    public let source: String
    private let compiled: OpaquePointer

    public init(_ source: String) throws {
        var error = [CChar](repeating: 0, count: 256)
        let compiled = source.utf8CString.withUnsafeBufferPointer { pattern in
            sluice_re2_compile(pattern.baseAddress, pattern.count - 1, &error, error.count)
        }
        guard let compiled else { throw SyntaxError(reason: String(cString: error)) }
        self.source = source
        self.compiled = compiled
    }

    deinit { sluice_re2_free(compiled) }

    /// Whether the whole cell (UTF-8 bytes) matches.
    public func matches(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        UnsafeRawBufferPointer(bytes).withMemoryRebound(to: CChar.self) { sluice_re2_full_match(compiled, $0.baseAddress, $0.count) == 1 }
    }
}
