/// One column of a Table Schema: its name, type, format, constraints and the options that
/// say how its cells are written.
///
/// Options are compiled once into a `CellParser`, so `parse(_:)` reads a cell's bytes with
/// no allocation and no string building. Hot loops should hold `parser` itself.
public struct SchemaField: Equatable, Sendable {
    public let name: String
    public let type: FieldType
    /// `default`, a string format (`email`, `uri`, `uuid`, `binary`), or for temporal types
    /// `any` or a strptime pattern such as `%d/%m/%Y`.
    public let format: String
    public var title: String?
    public var description: String?
    public var constraints: FieldConstraints
    /// Cells that read as `true` / `false` for a boolean field.
    public let trueValues: [String]
    public let falseValues: [String]
    /// The decimal separator of a number field.
    public let decimalChar: String
    /// The thousands separator of a number or integer field; empty when none.
    public let groupChar: String
    /// When false, a number may carry text around it (`€ 12`, `95%`), which is ignored.
    public let bareNumber: Bool
    /// This field's own missing-value markers, overriding the schema's.
    public let missingValues: [String]?

    /// The compiled reader of this field's cells.
    public let parser: CellParser

    public static let defaultTrueValues = ["true", "True", "TRUE", "1"]
    public static let defaultFalseValues = ["false", "False", "FALSE", "0"]

    /// Creates a field; throws when an option cannot apply to the type (an unknown format, a
    /// bad date pattern, a multi-character decimal separator).
    public init(
        name: String,
        type: FieldType = .string,
        format: String = "default",
        constraints: FieldConstraints = FieldConstraints(),
        trueValues: [String] = SchemaField.defaultTrueValues,
        falseValues: [String] = SchemaField.defaultFalseValues,
        decimalChar: String = ".",
        groupChar: String = "",
        bareNumber: Bool = true,
        missingValues: [String]? = nil,
        title: String? = nil,
        description: String? = nil
    ) throws(SchemaFieldError) {
        self.name = name
        self.type = type
        self.format = format
        self.constraints = constraints
        self.trueValues = trueValues
        self.falseValues = falseValues
        self.decimalChar = decimalChar
        self.groupChar = groupChar
        self.bareNumber = bareNumber
        self.missingValues = missingValues
        self.title = title
        self.description = description
        parser = try CellParser(type: type, format: format, trueValues: trueValues, falseValues: falseValues, decimalChar: decimalChar, groupChar: groupChar, bareNumber: bareNumber)
    }

    /// Reads a cell's bytes as this field's type; nil when the cell is not of the type (a
    /// frictionless `type-error`). Missing values are the caller's to check first
    /// (`TableSchema.missingValues(of:)`), because they depend on the schema.
    @inline(__always)
    public func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> CellValue? {
        parser.parse(bytes)
    }

    /// Reads a cell given as a string (constraint values, enum members, tests).
    public func parse(_ text: String) -> CellValue? {
        var copy = Array(text.utf8)
        return copy.withUnsafeMutableBufferPointer { parse(UnsafeBufferPointer($0)) }
    }

    /// The value written as Table Schema writes it in JSON or a message: ISO dates,
    /// integers without a decimal point.
    public func text(of value: CellValue) -> String {
        switch value {
        case .text: return ""
        case .integer(let v), .year(let v): return String(v)
        case .number(let v): return Self.shortest(v)
        case .boolean(let v): return v ? (trueValues.first ?? "true") : (falseValues.first ?? "false")
        case .date(let days): return CalendarMath.isoDate(days: days)
        case .datetime(let seconds): return CalendarMath.isoDatetime(seconds: seconds, utcSuffix: !constraints.naiveDatetimeBounds)
        case .time(let seconds): return CalendarMath.isoTime(seconds: seconds)
        case .yearmonth(let months):
            let year = months >= 0 ? months / 12 : (months - 11) / 12
            return "\(CalendarMath.pad(year, 4))-\(CalendarMath.pad(months - year * 12 + 1, 2))"
        }
    }

    /// Whether a datetime cell in the default format carries an offset (`Z`, `z`, `±HH:MM`);
    /// false for a naive one, which frictionless does not compare with an aware one.
    public static func datetimeHasOffset(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        ISOTemporal.hasOffset(bytes)
    }

    public static func datetimeHasOffset(_ text: String) -> Bool {
        var copy = Array(text.utf8)
        return copy.withUnsafeMutableBufferPointer { ISOTemporal.hasOffset(UnsafeBufferPointer($0)) }
    }

    /// `12` rather than `12.0` for whole numbers; Swift's shortest round-trip form otherwise.
    static func shortest(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "INF" : "-INF" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }
}

/// The constraints of one field, as Table Schema names them.
public struct FieldConstraints: Equatable, Sendable {
    public var required = false
    public var unique = false
    public var minimum: CellValue?
    public var maximum: CellValue?
    public var exclusiveMinimum: CellValue?
    public var exclusiveMaximum: CellValue?
    /// Length bounds in characters (Unicode scalars), for strings.
    public var minLength: Int?
    public var maxLength: Int?
    /// A regular expression the whole cell must match (it is anchored at both ends).
    public var pattern: String?
    /// The allowed values, as cells are written (`"0"`, `"north"`, `"2024-01-31"`).
    public var enumValues: [String]?
    /// Datetime bounds are written without an offset, like the column's naive values:
    /// frictionless cannot compare a naive value with an aware (`Z`) bound.
    public var naiveDatetimeBounds = false

    public init(required: Bool = false, unique: Bool = false, minimum: CellValue? = nil, maximum: CellValue? = nil, exclusiveMinimum: CellValue? = nil, exclusiveMaximum: CellValue? = nil, minLength: Int? = nil, maxLength: Int? = nil, pattern: String? = nil, enumValues: [String]? = nil) {
        self.required = required
        self.unique = unique
        self.minimum = minimum
        self.maximum = maximum
        self.exclusiveMinimum = exclusiveMinimum
        self.exclusiveMaximum = exclusiveMaximum
        self.minLength = minLength
        self.maxLength = maxLength
        self.pattern = pattern
        self.enumValues = enumValues
    }

    /// Whether no constraint is set.
    public var isEmpty: Bool { self == FieldConstraints() }
}

/// A field option that cannot apply: names the property and says what was expected.
public struct SchemaFieldError: Error, Equatable {
    /// The offending property, e.g. `format` or `decimalChar`.
    public let property: String
    public let message: String
}
