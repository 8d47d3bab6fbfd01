extension TableReader {
    /// The first `count` records of the table at `path` as column → cell text, skipping
    /// empty lines; a short record leaves its missing columns out. For checks that send or
    /// perturb a few real rows (the smoke stage, model tests).
    public static func firstRows(_ path: String, count: Int) throws -> [[String: String]] {
        let reader = try TableReader(TableSource(path: path))
        var rows: [[String: String]] = []
        while rows.count < count, try reader.next() {
            if reader.fieldCount == 0 { continue }
            var row: [String: String] = [:]
            for (index, name) in reader.header.enumerated() where index < reader.fieldCount { row[name] = reader.string(index) }
            rows.append(row)
        }
        return rows
    }
}
