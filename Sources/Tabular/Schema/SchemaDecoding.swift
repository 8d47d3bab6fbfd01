import Core
import Foundation

extension TableSchema {
    /// Reads a Table Schema JSON file. Throws `SchemaError` (exit 2) naming the JSON path of
    /// anything Sluice cannot use, including a missing or unreadable file.
    public static func load(path: String) throws -> TableSchema {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw SchemaError(source: path, path: "", message: exists ? "cannot read the schema file" : "no such schema file")
        }
        return try TableSchema(json: data, source: path)
    }

    /// Reads a Table Schema from JSON bytes; `source` names it in errors.
    public init(json data: Data, source: String) throws {
        let document: JSONValue
        do {
            document = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            let reason = JSONSyntax.problem(in: data).map { "at \($0)" } ?? Self.reason(error)
            throw SchemaError(source: source, path: "", message: "not valid JSON \(reason); expected a Table Schema object such as {\"fields\": [...]}")
        }
        var reader = SchemaReader(source: source)
        self = try reader.schema(document)
    }

    private static func reason(_ error: Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            if let underlying = context.underlyingError as NSError?,
               let detail = underlying.userInfo[NSDebugDescriptionErrorKey] as? String { return detail }
            return context.debugDescription
        }
        return String(describing: error)
    }
}

/// Walks a schema document, turning each part into the model and each problem into a
/// `SchemaError` with its path.
private struct SchemaReader {
    let source: String
    var warnings: [String] = []

    static let schemaKeys: Set<String> = ["fields", "missingValues", "primaryKey", "fieldsMatch", "sluice", "foreignKeys", "uniqueKeys", "$schema", "profile", "name", "title", "description"]
    static let fieldKeys: Set<String> = ["name", "type", "format", "title", "description", "example", "constraints", "trueValues", "falseValues", "decimalChar", "groupChar", "bareNumber", "missingValues", "rdfType", "categories", "categoriesOrdered", "floatNumber"]
    static let constraintNames = ["required", "unique", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "pattern", "enum"]

    func fail(_ path: String, _ message: String) -> SchemaError {
        SchemaError(source: source, path: path, message: message)
    }

    mutating func schema(_ document: JSONValue) throws -> TableSchema {
        guard case .object(let top) = document else {
            throw fail("", "expected a JSON object with \"fields\", got \(document.shown)")
        }
        for key in top.keys.sorted() where !Self.schemaKeys.contains(key) {
            warnings.append("\(source): \(key): unknown key, ignored")
        }
        for key in ["foreignKeys", "uniqueKeys"] where top[key] != nil {
            warnings.append("\(source): \(key): not checked by Sluice")
        }
        let missingValues = try top["missingValues"].map { try self.missingValues($0, "missingValues") } ?? [""]
        guard let fieldList = top["fields"] else { throw fail("fields", "missing; expected an array of field descriptors") }
        guard case .array(let descriptors) = fieldList, !descriptors.isEmpty else {
            throw fail("fields", "expected a non-empty array of field descriptors, got \(fieldList.shown)")
        }
        var fields: [SchemaField] = []
        var seen: Set<String> = []
        for (index, descriptor) in descriptors.enumerated() {
            let field = try self.field(descriptor, "fields[\(index)]")
            guard seen.insert(field.name).inserted else {
                throw fail("fields[\(index)].name", "duplicate field name \"\(field.name)\"; each field needs its own name")
            }
            fields.append(field)
        }
        let primaryKey = try top["primaryKey"].map { try self.primaryKey($0, names: seen) } ?? []
        var fieldsMatch = FieldsMatch.exact
        if let value = top["fieldsMatch"] {
            let text = try string(value, "fieldsMatch")
            guard let match = FieldsMatch(rawValue: text) else {
                throw fail("fieldsMatch", "expected one of \(FieldsMatch.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(text)\"")
            }
            fieldsMatch = match
        }
        let checks = try top["sluice"].map { try self.checks($0, names: seen) } ?? DatasetChecks()
        return TableSchema(
            fields: fields, missingValues: missingValues, primaryKey: primaryKey, fieldsMatch: fieldsMatch, checks: checks,
            title: try top["title"].map { try string($0, "title") },
            description: try top["description"].map { try string($0, "description") },
            warnings: warnings)
    }

    // MARK: Fields

    mutating func field(_ descriptor: JSONValue, _ path: String) throws -> SchemaField {
        guard case .object(let object) = descriptor else { throw fail(path, "expected a field descriptor object, got \(descriptor.shown)") }
        guard let nameValue = object["name"] else { throw fail("\(path).name", "missing; every field needs a name") }
        let name = try string(nameValue, "\(path).name")
        guard !name.isEmpty else { throw fail("\(path).name", "expected a non-empty name") }
        for key in object.keys.sorted() where !Self.fieldKeys.contains(key) {
            warnings.append("\(source): \(path).\(key): unknown key, ignored")
        }
        var type = FieldType.string
        if let value = object["type"] {
            let text = try string(value, "\(path).type")
            guard let known = FieldType(rawValue: text) else {
                let supported = FieldType.allCases.map(\.rawValue).joined(separator: ", ")
                if FieldType.unsupported.contains(text) {
                    throw fail("\(path).type", "type \"\(text)\" is not supported by Sluice; expected one of \(supported)")
                }
                throw fail("\(path).type", "unknown type \"\(text)\"; expected one of \(supported)")
            }
            type = known
        }
        func optionalString(_ key: String) throws -> String? { try object[key].map { try string($0, "\(path).\(key)") } }
        func stringList(_ key: String) throws -> [String]? {
            guard let value = object[key] else { return nil }
            guard case .array(let items) = value else { throw fail("\(path).\(key)", "expected an array of strings, got \(value.shown)") }
            return try items.enumerated().map { try string($1, "\(path).\(key)[\($0)]") }
        }
        var bareNumber = true
        if let value = object["bareNumber"] {
            guard case .bool(let flag) = value else { throw fail("\(path).bareNumber", "expected true or false, got \(value.shown)") }
            bareNumber = flag
        }
        var field: SchemaField
        do {
            field = try SchemaField(
                name: name, type: type, format: try optionalString("format") ?? "default",
                trueValues: try stringList("trueValues") ?? SchemaField.defaultTrueValues,
                falseValues: try stringList("falseValues") ?? SchemaField.defaultFalseValues,
                decimalChar: try optionalString("decimalChar") ?? ".",
                groupChar: try optionalString("groupChar") ?? "",
                bareNumber: bareNumber,
                missingValues: try object["missingValues"].map { try missingValues($0, "\(path).missingValues") },
                title: try optionalString("title"), description: try optionalString("description"))
        } catch let error as SchemaFieldError {
            throw fail("\(path).\(error.property)", error.message)
        }
        if let value = object["constraints"] {
            field.constraints = try constraints(value, "\(path).constraints", field: field)
        }
        return field
    }

    func constraints(_ value: JSONValue, _ path: String, field: SchemaField) throws -> FieldConstraints {
        guard case .object(let object) = value else { throw fail(path, "expected an object of constraints, got \(value.shown)") }
        var constraints = FieldConstraints()
        let allowed = field.type.allowedConstraints.union(["required", "unique"])
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            let here = "\(path).\(key)"
            guard Self.constraintNames.contains(key) else {
                throw fail(here, "unknown constraint \"\(key)\"; expected one of \(Self.constraintNames.joined(separator: ", "))")
            }
            guard allowed.contains(key) else {
                throw fail(here, "constraint \"\(key)\" does not apply to type \(field.type.rawValue); it allows \(Self.constraintNames.filter(allowed.contains).joined(separator: ", "))")
            }
            switch key {
            case "required": constraints.required = try bool(value, here)
            case "unique": constraints.unique = try bool(value, here)
            case "minimum": constraints.minimum = try bound(value, here, field)
            case "maximum": constraints.maximum = try bound(value, here, field)
            case "exclusiveMinimum": constraints.exclusiveMinimum = try bound(value, here, field)
            case "exclusiveMaximum": constraints.exclusiveMaximum = try bound(value, here, field)
            case "minLength": constraints.minLength = try count(value, here)
            case "maxLength": constraints.maxLength = try count(value, here)
            case "pattern": constraints.pattern = try pattern(value, here)
            default: constraints.enumValues = try enumValues(value, here, field)
            }
        }
        let boundTexts = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"].compactMap { key -> String? in
            if case .string(let text)? = object[key] { return text }
            return nil
        }
        if field.type == .datetime, !boundTexts.isEmpty {
            constraints.naiveDatetimeBounds = !boundTexts.contains(where: SchemaField.datetimeHasOffset)
        }
        return constraints
    }

    /// A bound is written as a JSON number for numeric types and as a cell (a string in the
    /// field's format) for every type.
    func bound(_ value: JSONValue, _ path: String, _ field: SchemaField) throws -> CellValue {
        let parsed: CellValue?
        switch value {
        case .integer(let v):
            parsed = field.type == .number ? .number(Double(v)) : (field.type == .year ? .year(v) : (field.type == .integer ? .integer(v) : nil))
        case .number(let v):
            parsed = field.type == .number ? .number(v) : nil
        case .string(let text):
            parsed = field.parse(text)
        default:
            parsed = nil
        }
        guard let parsed else { throw fail(path, "expected \(Self.expectation(field)), got \(value.shown)") }
        return parsed
    }

    func enumValues(_ value: JSONValue, _ path: String, _ field: SchemaField) throws -> [String] {
        guard case .array(let items) = value, !items.isEmpty else { throw fail(path, "expected a non-empty array of allowed values, got \(value.shown)") }
        return try items.enumerated().map { index, item in
            let here = "\(path)[\(index)]"
            switch item {
            case .string(let text):
                guard field.parse(text) != nil else { throw fail(here, "expected \(Self.expectation(field)), got \(item.shown)") }
                return text
            case .integer, .number:
                let parsed = try bound(item, here, field)
                return field.text(of: parsed)
            case .bool(let flag) where field.type == .boolean:
                return flag ? field.trueValues.first ?? "true" : field.falseValues.first ?? "false"
            default:
                throw fail(here, "expected \(Self.expectation(field)), got \(item.shown)")
            }
        }
    }

    func pattern(_ value: JSONValue, _ path: String) throws -> String {
        let text = try string(value, path)
        do {
            _ = try RegularPattern(text)
        } catch {
            throw fail(path, "\(value.shown) is not a valid regular expression (RE2 syntax, matched in linear time: no backreferences or lookaround): \(error)")
        }
        return text
    }

    static func expectation(_ field: SchemaField) -> String {
        switch field.type {
        case .integer, .year: return "an integer"
        case .number: return "a number"
        case .boolean: return "one of \((field.trueValues + field.falseValues).joined(separator: ", "))"
        case .date: return field.format == "default" ? "a date like 2024-01-31" : "a date in format \(field.format)"
        case .datetime: return field.format == "default" ? "a datetime like 2024-01-31T12:00:00Z" : "a datetime in format \(field.format)"
        case .time: return field.format == "default" ? "a time like 12:00:00" : "a time in format \(field.format)"
        case .yearmonth: return "a year and month like 2024-01"
        case .string, .any: return "a string"
        }
    }

    // MARK: Schema-level keys

    func missingValues(_ value: JSONValue, _ path: String) throws -> [String] {
        guard case .array(let items) = value else { throw fail(path, "expected an array of strings, got \(value.shown)") }
        return try items.enumerated().map { index, item in
            // v2 also allows {"value": "-99", "label": "refused"}.
            if case .object(let object) = item, let inner = object["value"] { return try string(inner, "\(path)[\(index)].value") }
            return try string(item, "\(path)[\(index)]")
        }
    }

    func primaryKey(_ value: JSONValue, names: Set<String>) throws -> [String] {
        let keys: [String]
        switch value {
        case .string(let single): keys = [single]
        case .array(let items): keys = try items.enumerated().map { try string($1, "primaryKey[\($0)]") }
        default: throw fail("primaryKey", "expected a field name or an array of field names, got \(value.shown)")
        }
        for (index, key) in keys.enumerated() where !names.contains(key) {
            let path = value == .string(key) ? "primaryKey" : "primaryKey[\(index)]"
            throw fail(path, "no field is named \"\(key)\"")
        }
        return keys
    }

    func checks(_ value: JSONValue, names: Set<String>) throws -> DatasetChecks {
        guard case .object(let object) = value else { throw fail("sluice", "expected an object, got \(value.shown)") }
        var checks = DatasetChecks()
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            let path = "sluice.\(key)"
            switch key {
            case "rowCount":
                guard case .object(let bounds) = value else { throw fail(path, "expected {\"min\": N, \"max\": N}, got \(value.shown)") }
                for (boundKey, boundValue) in bounds.sorted(by: { $0.key < $1.key }) {
                    switch boundKey {
                    case "min": checks.minRows = try count(boundValue, "\(path).min")
                    case "max": checks.maxRows = try count(boundValue, "\(path).max")
                    default: throw fail("\(path).\(boundKey)", "unknown key; expected min or max")
                    }
                }
                if let low = checks.minRows, let high = checks.maxRows, low > high {
                    throw fail(path, "min \(low) is greater than max \(high)")
                }
            case "maxMissingFraction":
                guard case .object(let limits) = value else { throw fail(path, "expected an object of field name to fraction, got \(value.shown)") }
                for (name, limit) in limits.sorted(by: { $0.key < $1.key }) {
                    guard names.contains(name) else { throw fail("\(path).\(name)", "no field is named \"\(name)\"") }
                    let fraction: Double
                    switch limit {
                    case .integer(let v): fraction = Double(v)
                    case .number(let v): fraction = v
                    default: fraction = -1
                    }
                    guard fraction >= 0, fraction <= 1 else { throw fail("\(path).\(name)", "expected a fraction from 0 to 1, got \(limit.shown)") }
                    checks.maxMissingFraction[name] = fraction
                }
            default:
                throw fail(path, "unknown key; expected rowCount or maxMissingFraction")
            }
        }
        return checks
    }

    // MARK: Scalars

    func string(_ value: JSONValue, _ path: String) throws -> String {
        guard case .string(let text) = value else { throw fail(path, "expected a string, got \(value.shown)") }
        return text
    }

    func bool(_ value: JSONValue, _ path: String) throws -> Bool {
        guard case .bool(let flag) = value else { throw fail(path, "expected true or false, got \(value.shown)") }
        return flag
    }

    func count(_ value: JSONValue, _ path: String) throws -> Int {
        if case .integer(let v) = value, v >= 0, v <= Int64(Int.max) { return Int(v) }
        throw fail(path, "expected a non-negative integer, got \(value.shown)")
    }
}
