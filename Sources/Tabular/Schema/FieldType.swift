/// The Table Schema field types Sluice reads.
public enum FieldType: String, CaseIterable, Sendable, Codable {
    case string, integer, number, boolean, date, datetime, time, year, yearmonth, any

    /// The constraint names Table Schema allows on this type (besides `required` and `unique`,
    /// which every type allows).
    var allowedConstraints: Set<String> {
        switch self {
        case .string: return ["minLength", "maxLength", "pattern", "enum"]
        case .integer, .number, .date, .datetime, .time, .year, .yearmonth:
            return ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"]
        case .boolean: return ["enum"]
        case .any: return ["enum"]
        }
    }

    /// Types that Table Schema defines but Sluice does not read, named in error messages.
    static let unsupported: Set<String> = ["object", "array", "list", "duration", "geopoint", "geojson"]
}
