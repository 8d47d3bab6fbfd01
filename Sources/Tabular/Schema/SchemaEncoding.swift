import Core
import Foundation

extension TableSchema {
    /// The schema as Table Schema v2 JSON (sorted keys, as all Sluice JSON), writing only
    /// what differs from the defaults.
    public func jsonString() throws -> String {
        try JSONOutput.string(jsonValue)
    }

    var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "$schema": .string("https://datapackage.org/profiles/2.0/tableschema.json"),
            "fields": .array(fields.map(\.jsonValue)),
        ]
        if missingValues != [""] { object["missingValues"] = .array(missingValues.map(JSONValue.string)) }
        if !primaryKey.isEmpty { object["primaryKey"] = .array(primaryKey.map(JSONValue.string)) }
        if fieldsMatch != .exact { object["fieldsMatch"] = .string(fieldsMatch.rawValue) }
        if let title { object["title"] = .string(title) }
        if let description { object["description"] = .string(description) }
        if !checks.isEmpty {
            var sluice: [String: JSONValue] = [:]
            var rowCount: [String: JSONValue] = [:]
            if let minRows = checks.minRows { rowCount["min"] = .integer(Int64(minRows)) }
            if let maxRows = checks.maxRows { rowCount["max"] = .integer(Int64(maxRows)) }
            if !rowCount.isEmpty { sluice["rowCount"] = .object(rowCount) }
            if !checks.maxMissingFraction.isEmpty { sluice["maxMissingFraction"] = .object(checks.maxMissingFraction.mapValues(JSONValue.number)) }
            object["sluice"] = .object(sluice)
        }
        return .object(object)
    }
}

extension SchemaField {
    var jsonValue: JSONValue {
        var object: [String: JSONValue] = ["name": .string(name), "type": .string(type.rawValue)]
        if format != "default" { object["format"] = .string(format) }
        if let title { object["title"] = .string(title) }
        if let description { object["description"] = .string(description) }
        if trueValues != Self.defaultTrueValues { object["trueValues"] = .array(trueValues.map(JSONValue.string)) }
        if falseValues != Self.defaultFalseValues { object["falseValues"] = .array(falseValues.map(JSONValue.string)) }
        if decimalChar != "." { object["decimalChar"] = .string(decimalChar) }
        if !groupChar.isEmpty { object["groupChar"] = .string(groupChar) }
        if !bareNumber { object["bareNumber"] = .bool(false) }
        if let missingValues { object["missingValues"] = .array(missingValues.map(JSONValue.string)) }
        if !constraints.isEmpty { object["constraints"] = .object(constraintsJSON) }
        return .object(object)
    }

    private var constraintsJSON: [String: JSONValue] {
        var object: [String: JSONValue] = [:]
        if constraints.required { object["required"] = .bool(true) }
        if constraints.unique { object["unique"] = .bool(true) }
        let bounds = [("minimum", constraints.minimum), ("maximum", constraints.maximum), ("exclusiveMinimum", constraints.exclusiveMinimum), ("exclusiveMaximum", constraints.exclusiveMaximum)]
        for case let (key, value?) in bounds { object[key] = json(value) }
        if let minLength = constraints.minLength { object["minLength"] = .integer(Int64(minLength)) }
        if let maxLength = constraints.maxLength { object["maxLength"] = .integer(Int64(maxLength)) }
        if let pattern = constraints.pattern { object["pattern"] = .string(pattern) }
        if let values = constraints.enumValues {
            let numeric = type == .integer || type == .number || type == .year
            object["enum"] = .array(values.map { text in
                if numeric, let value = parse(text) { return json(value) }
                return .string(text)
            })
        }
        return object
    }

    /// Numbers as JSON numbers; every other type as a cell in the field's format.
    private func json(_ value: CellValue) -> JSONValue {
        switch value {
        case .integer(let v), .year(let v): return .integer(v)
        case .number(let v) where v.isFinite: return v == v.rounded() && abs(v) < 1e15 ? .integer(Int64(v)) : .number(v)
        default: return .string(text(of: value))
        }
    }
}
