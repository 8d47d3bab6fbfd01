import Tabular

/// The schema's dataset checks (`sluice.rowCount`, `sluice.maxMissingFraction`) over the
/// counts of a whole table: applied by a single pass, and by `ValidationMerge` to the sums
/// of the shares, with the same messages.
enum DatasetCheck {
    struct Problem {
        var kind: ErrorKind
        var field: String?
        var value: String
        var message: String
    }

    /// The checks `schema` asks for that `rows` rows with `missingByField` missing cells
    /// (for the fields present in the data) fail, in the schema's field order.
    static func problems(_ schema: TableSchema, rows: Int, missingByField: [String: Int]) -> [Problem] {
        let checks = schema.checks
        var problems: [Problem] = []
        if let minimum = checks.minRows, rows < minimum {
            problems.append(Problem(kind: .tableDimensions, value: String(rows), message: "the data has \(rows) rows; expected at least \(minimum) (sluice.rowCount.min)"))
        }
        if let maximum = checks.maxRows, rows > maximum {
            problems.append(Problem(kind: .tableDimensions, value: String(rows), message: "the data has \(rows) rows; expected at most \(maximum) (sluice.rowCount.max)"))
        }
        for name in schema.fields.map(\.name) {
            guard let missing = missingByField[name], let limit = checks.maxMissingFraction[name], rows > 0 else { continue }
            let fraction = Double(missing) / Double(rows)
            if fraction > limit {
                problems.append(Problem(kind: .missingFraction, field: name, value: String(missing), message: "\(missing) of \(rows) cells are missing (\(percent(fraction))); expected at most \(percent(limit)) (sluice.maxMissingFraction)"))
            }
        }
        return problems
    }

    static func percent(_ fraction: Double) -> String {
        let value = (fraction * 1000).rounded() / 10
        return (value == value.rounded() ? String(Int(value)) : String(value)) + "%"
    }
}
