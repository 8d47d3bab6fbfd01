import Yams

/// A coding key for paths through a YAML tree: a mapping key or a sequence index.
struct PathKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }

    init(intValue: Int) {
        self.stringValue = "\(intValue)"
        self.intValue = intValue
    }
}

/// How a coding path reads to a user: `gates[2].metric`.
func describe(_ path: [CodingKey]) -> String {
    var text = ""
    for key in path {
        if let index = key.intValue, key.stringValue == "\(index)" {
            text += "[\(index)]"
        } else {
            text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
        }
    }
    return text
}

/// One `key: value` pair of a mapping, with merge keys (`<<: *anchor`) already folded in.
struct MappingEntry {
    let key: String
    let keyNode: Node
    let value: Node

    /// The entries of `mapping` in file order; explicit keys win over merged ones, as YAML says.
    static func entries(of mapping: Node.Mapping, at path: [CodingKey]) throws -> [MappingEntry] {
        var own: [MappingEntry] = []
        var merged: [MappingEntry] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                throw DecodingError.typeMismatch(String.self, .init(codingPath: path, debugDescription: "mapping keys must be plain words, found \(keyNode.kindDescription)"))
            }
            if scalar.string == "<<", scalar.style == .plain || scalar.style == .any {
                for source in value.mergeSources {
                    guard case .mapping(let inner) = source else {
                        throw DecodingError.typeMismatch(String.self, .init(codingPath: path, debugDescription: "a merge key (<<) takes a mapping or a list of mappings"))
                    }
                    merged += try entries(of: inner, at: path)
                }
                continue
            }
            own.append(MappingEntry(key: scalar.string, keyNode: keyNode, value: value))
        }
        var seen = Set(own.map(\.key))
        for entry in merged where !seen.contains(entry.key) {
            seen.insert(entry.key)
            own.append(entry)
        }
        return own
    }
}

extension Node {
    /// True for an empty value or a plain `~`/`null`; quoted `'null'` is a string.
    var isNull: Bool {
        guard case .scalar(let scalar) = self else { return false }
        guard scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// How a node reads in a "found ..." message.
    var kindDescription: String {
        switch self {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar): return isNull ? "nothing (null)" : "'\(scalar.string)'"
        }
    }

    /// The mappings a merge key's value names: one mapping, or a list of them.
    fileprivate var mergeSources: [Node] {
        if case .sequence(let sequence) = self { return Array(sequence) }
        return [self]
    }

    /// The node at `path` below this one, following mapping keys and sequence indices.
    func descendant(at path: [CodingKey]) -> Node? {
        var node = self
        for key in path {
            switch node {
            case .mapping(let mapping):
                guard let entries = try? MappingEntry.entries(of: mapping, at: []),
                      let entry = entries.first(where: { $0.key == key.stringValue }) else { return nil }
                node = entry.value
            case .sequence(let sequence):
                guard let index = key.intValue, sequence.indices.contains(index) else { return nil }
                node = sequence[index]
            default:
                return nil
            }
        }
        return node
    }
}
