import Tabular

/// Which data column each schema field reads, and what is wrong with the header, following
/// the schema's `fieldsMatch` as frictionless applies it.
struct ColumnMapping {
    /// For each schema field, its column in the data, or nil when the data lacks it.
    var columns: [Int?]
    /// Header problems: kind, the field (or label) they concern, and a message.
    var problems: [(kind: ErrorKind, field: String, message: String)] = []

    init(schema: TableSchema, header: [String]) {
        let names = schema.fields.map(\.name)
        columns = Array(repeating: nil, count: names.count)
        var firstColumn: [String: Int] = [:]
        var duplicate = Array(repeating: false, count: header.count)
        for (index, label) in header.enumerated() {
            if firstColumn[label] == nil { firstColumn[label] = index } else { duplicate[index] = true }
        }

        if schema.fieldsMatch == .exact {
            // By position: field i reads column i whatever its label says.
            for index in 0..<max(names.count, header.count) {
                if index >= header.count {
                    problems.append((.missingLabel, names[index], "the data has no column \(index + 1) for field \"\(names[index])\"; the header has \(header.count) labels"))
                } else if index >= names.count {
                    problems.append((.extraLabel, header[index], "column \(index + 1) \"\(header[index])\" is not in the schema, which has \(names.count) fields (fieldsMatch exact)"))
                } else {
                    columns[index] = index
                    let label = header[index]
                    if label.isEmpty {
                        problems.append((.blankLabel, names[index], "column \(index + 1) has no label; expected \"\(names[index])\""))
                    } else if duplicate[index] {
                        problems.append((.duplicateLabel, names[index], "column \(index + 1) repeats the label \"\(label)\" of column \(firstColumn[label]! + 1); expected \"\(names[index])\""))
                    } else if label != names[index] {
                        problems.append((.incorrectLabel, names[index], "column \(index + 1) is labelled \"\(label)\"; expected \"\(names[index])\" (fieldsMatch exact)"))
                    }
                }
            }
            return
        }

        // By name.
        let known = Set(names)
        for (index, label) in header.enumerated() where duplicate[index] {
            problems.append((.duplicateLabel, label, "column \(index + 1) repeats the label \"\(label)\" of column \(firstColumn[label]! + 1); only the first is checked"))
        }
        for (index, name) in names.enumerated() {
            columns[index] = firstColumn[name]
        }
        let missing = names.filter { firstColumn[$0] == nil }
        let extra = header.enumerated().filter { !duplicate[$0.offset] && !known.contains($0.element) }
        // Under equal and subset every field needs a column; under partial and superset
        // frictionless still looks for the required and primary-key fields.
        let keyNames = Set(schema.primaryKey)
        for (index, name) in names.enumerated() where firstColumn[name] == nil {
            let field = schema.fields[index]
            switch schema.fieldsMatch {
            case .equal, .subset:
                problems.append((.missingLabel, name, "the data has no column \"\(name)\" (fieldsMatch \(schema.fieldsMatch.rawValue))"))
            case .partial, .superset:
                if keyNames.contains(name) {
                    problems.append((.missingLabel, name, "the data has no column \"\(name)\", which is part of the primary key (fieldsMatch \(schema.fieldsMatch.rawValue))"))
                } else if field.constraints.required {
                    problems.append((.missingLabel, name, "the data has no column \"\(name)\", which is required (fieldsMatch \(schema.fieldsMatch.rawValue))"))
                }
            case .exact: break
            }
        }
        switch schema.fieldsMatch {
        case .equal, .superset:
            for (index, label) in extra {
                problems.append((.extraLabel, label, "column \(index + 1) \"\(label)\" is not in the schema (fieldsMatch \(schema.fieldsMatch.rawValue))"))
            }
        default: break
        }
        if schema.fieldsMatch == .partial && missing.count == names.count {
            problems.append((.unmatchedHeader, "", "no column of the data is named like a schema field (fieldsMatch partial)"))
        }
    }
}
