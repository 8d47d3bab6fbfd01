import Core
import Foundation
import Yams

/// A parsed configuration file (such as `sluice.yml`) from which typed sections are decoded.
///
/// The YAML is composed into a node tree that keeps line and column marks, then decoded by
/// a strict decoder (see docs/config.md): unknown keys, wrong types and missing required
/// keys are `ConfigError`s naming the file, line, column and path, with a "did you mean"
/// suggestion for a misspelt key. Any `Decodable` type can be a section, so each command
/// decodes only the section it owns:
///
/// ```swift
/// let file = try ConfigFile.load("sluice.yml")
/// let train = try file.decodeIfPresent(TrainSection.self, at: "train")
/// ```
public struct ConfigFile {
    /// The path as the user gave it, used in messages.
    public let path: String
    /// The directory relative paths in the file are resolved against.
    public let directory: String
    let root: Node

    /// Reads and parses the file at `path`; a missing or unparsable file is a configuration error.
    public static func load(_ path: String) throws -> ConfigFile {
        // A FileHandle also reads pipes and devices (`--config /dev/stdin`).
        let handle = FileHandle(forReadingAtPath: path)
        defer { try? handle?.close() }
        guard let handle, let data = try? handle.readToEnd() ?? Data() else {
            throw ConfigError([.init(file: path, line: nil, column: nil, path: "", message: "cannot read the configuration file (no such file or not readable)")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError([.init(file: path, line: nil, column: nil, path: "", message: "the file is not UTF-8 text")])
        }
        return try ConfigFile(yaml: text, path: path)
    }

    /// Parses `yaml`, naming it `path` in messages and resolving relative paths against its directory.
    public init(yaml: String, path: String) throws {
        self.path = path
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        self.directory = (absolute as NSString).deletingLastPathComponent
        let composed: Node?
        do {
            composed = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw ConfigError([Self.problem(from: error, file: path)])
        }
        let root = composed ?? Node.mapping(Node.Mapping([]))
        guard case .mapping = root else {
            throw ConfigError([.init(file: path, line: root.mark?.line, column: root.mark?.column, path: "", message: "expected a mapping of sections (key: value lines), found \(root.kindDescription)")])
        }
        self.root = root
    }

    /// Whether the section at `section` (dotted for nesting, e.g. `package.image`) is present and not null.
    public func contains(_ section: String) -> Bool {
        guard let node = root.descendant(at: Self.keys(section)) else { return false }
        return !node.isNull
    }

    /// Decodes the whole file, or the section at `section`, as `T`; a missing section is an error.
    public func decode<T: Decodable>(_ type: T.Type, at section: String? = nil) throws -> T {
        guard let value = try decodeIfPresent(type, at: section) else {
            throw ConfigError([.init(file: path, line: nil, column: nil, path: section ?? "", message: "missing required section '\(section ?? "")'")])
        }
        return value
    }

    /// Decodes the section at `section` as `T`, or returns nil when the section is absent or null.
    public func decodeIfPresent<T: Decodable>(_ type: T.Type, at section: String? = nil) throws -> T? {
        let keys = section.map(Self.keys) ?? []
        guard let node = root.descendant(at: keys), !(node.isNull && !keys.isEmpty) else { return nil }
        let usage = KeyUsage()
        let value: T
        do {
            value = try T(from: NodeDecoder(node: node, codingPath: keys, usage: usage))
        } catch let error as DecodingError {
            throw ConfigError([problem(from: error)])
        }
        let unknown = usage.unknownKeys().map { found -> ConfigError.Problem in
            var message = "unknown key '\(found.entry.key)'"
            if let suggestion = Suggestion.closest(to: found.entry.key, among: found.known) {
                message += "; did you mean '\(suggestion)'?"
            } else if !found.known.isEmpty {
                message += "; expected one of: \(found.known.sorted().joined(separator: ", "))"
            }
            return located(found.entry.keyNode, path: found.path, message)
        }
        if !unknown.isEmpty { throw ConfigError(unknown) }
        return value
    }

    /// `relative` resolved against the configuration file's directory; absolute paths are kept.
    public func resolve(_ relative: String) -> String {
        ((relative.hasPrefix("/") ? relative : (directory as NSString).appendingPathComponent(relative)) as NSString).standardizingPath
    }

    /// A problem with the value at `path` (`"gates[2].metric"`, `"train.l2"`), located where
    /// that value is written, or where its nearest written parent is when it is absent (a
    /// missing key is reported at the mapping that lacks it).
    public func problem(at path: String, _ message: String) -> ConfigError.Problem {
        var keys = Self.pathKeys(path)
        var node = root.descendant(at: keys)
        while node == nil, !keys.isEmpty {
            keys.removeLast()
            node = root.descendant(at: keys)
        }
        return .init(file: self.path, line: node?.mark?.line, column: node?.mark?.column, path: path, message: message)
    }

    /// `gates[2].metric` as keys: `gates`, index 2, `metric`.
    private static func pathKeys(_ path: String) -> [CodingKey] {
        var keys: [CodingKey] = []
        for part in path.split(separator: ".") {
            var name = Substring(part)
            var indices: [Int] = []
            while name.hasSuffix("]"), let open = name.lastIndex(of: "["), let index = Int(name[name.index(after: open)..<name.index(before: name.endIndex)]) {
                indices.insert(index, at: 0)
                name = name[..<open]
            }
            if !name.isEmpty { keys.append(PathKey(stringValue: String(name))) }
            keys += indices.map { PathKey(intValue: $0) as CodingKey }
        }
        return keys
    }

    private static func keys(_ section: String) -> [CodingKey] {
        section.split(separator: ".").map { PathKey(stringValue: String($0)) }
    }

    private func located(_ node: Node?, path: [CodingKey], _ message: String) -> ConfigError.Problem {
        .init(file: self.path, line: node?.mark?.line, column: node?.mark?.column, path: describe(path), message: message)
    }

    private func problem(from error: DecodingError) -> ConfigError.Problem {
        switch error {
        case .keyNotFound(let key, let context):
            let mapping = root.descendant(at: context.codingPath)
            var message = "missing required key '\(key.stringValue)'"
            if case .mapping(let entries)? = mapping,
               let typo = Suggestion.closest(to: key.stringValue, among: entries.keys.compactMap(\.string)) {
                message += " (found '\(typo)': a misspelling?)"
            }
            return located(mapping, path: context.codingPath, message)
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return located(root.descendant(at: context.codingPath), path: context.codingPath, context.debugDescription)
        @unknown default:
            return located(nil, path: [], String(describing: error))
        }
    }

    private static func problem(from error: YamlError, file: String) -> ConfigError.Problem {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) (\($0.text) at line \($0.mark.line))" } ?? problem
            return .init(file: file, line: mark.line, column: mark.column, path: "", message: "invalid YAML: \(detail)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return .init(file: file, line: context.mark.line, column: context.mark.column, path: "", message: "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in one mapping")
        default:
            return .init(file: file, line: nil, column: nil, path: "", message: "invalid YAML: \(error)")
        }
    }
}
