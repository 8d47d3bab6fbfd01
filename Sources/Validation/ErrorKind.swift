/// The kinds of error validation reports, named as frictionless names them so that users
/// (and their dashboards) can move between the tools.
public enum ErrorKind: String, CaseIterable, Sendable {
    // Header
    case blankLabel = "blank-label"
    case duplicateLabel = "duplicate-label"
    case missingLabel = "missing-label"
    case extraLabel = "extra-label"
    case incorrectLabel = "incorrect-label"
    case unmatchedHeader = "unmatched-header"
    // Rows and cells
    case blankRow = "blank-row"
    case missingCell = "missing-cell"
    case extraCell = "extra-cell"
    case typeError = "type-error"
    case constraintError = "constraint-error"
    case uniqueError = "unique-error"
    case primaryKey = "primary-key"
    // Reading
    case encodingError = "encoding-error"
    case sourceError = "source-error"
    // Dataset checks (the schema's `sluice` key)
    case tableDimensions = "table-dimensions"
    case missingFraction = "missing-fraction"

    /// Errors about the table as a whole rather than one field, shown as their own test
    /// cases in JUnit.
    public var isTableLevel: Bool {
        switch self {
        case .blankRow, .primaryKey, .encodingError, .sourceError, .tableDimensions, .unmatchedHeader: return true
        default: return false
        }
    }
}
