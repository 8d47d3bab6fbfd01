import Yams

/// Which keys each mapping was asked for during one decoding pass.
///
/// Decodable types ask for the keys they know; a key in the file that nobody asked for is
/// unknown, which is how a misspelt `thresold:` becomes an error instead of a silent default.
final class KeyUsage {
    struct Record {
        var path: [CodingKey]
        var entries: [MappingEntry]
        var asked: Set<String> = []
        /// Set when a consumer enumerated every key (a dictionary), so all keys are known.
        var enumerated = false
    }

    private var records: [String: Record] = [:]

    func opened(_ entries: [MappingEntry], at path: [CodingKey]) {
        let id = describe(path)
        if records[id] == nil { records[id] = Record(path: path, entries: entries) }
    }

    func asked(_ key: String, at path: [CodingKey]) {
        records[describe(path)]?.asked.insert(key)
    }

    func enumerated(at path: [CodingKey]) {
        records[describe(path)]?.enumerated = true
    }

    /// Keys nobody asked for, each with the keys its mapping did ask for (for suggestions).
    func unknownKeys() -> [(entry: MappingEntry, path: [CodingKey], known: Set<String>)] {
        var found: [(entry: MappingEntry, path: [CodingKey], known: Set<String>)] = []
        for record in records.values where !record.enumerated {
            for entry in record.entries where !record.asked.contains(entry.key) {
                found.append((entry, record.path, record.asked))
            }
        }
        return found.sorted { ($0.entry.keyNode.mark?.line ?? 0, $0.entry.keyNode.mark?.column ?? 0) < ($1.entry.keyNode.mark?.line ?? 0, $1.entry.keyNode.mark?.column ?? 0) }
    }
}
