import ReportModel
import Tabular
import TestSupport
import Validation
import XCTest

/// Sluice finds the same errors as frictionless on small files covering every type and
/// constraint. The fixtures and the script that recorded the expectations are in
/// Tests/Fixtures/validation/parity (record.py).
final class FrictionlessParityTests: XCTestCase {
    /// An expected error: type, frictionless row number, field.
    struct E: Hashable, CustomStringConvertible {
        let type: String
        let row: Int?
        let field: String?
        init(_ type: String, _ row: Int?, _ field: String?) {
            self.type = type
            self.row = row
            self.field = field
        }
        var description: String { "\(type) row \(row.map(String.init) ?? "-") field \(field ?? "-")" }
    }

    // Recorded with frictionless 5.21.0 (`frictionless validate`, Python 3.11) by record.py.
    // frictionless names no field ("") for extra-label and extra-cell; Sluice names the
    // column's label there, so those compare on type and row only.
    static let expected: [String: [E]] = [
        "constraints": [
            E("constraint-error", 3, "name"),
            E("constraint-error", 3, "ratio"),
            E("constraint-error", 3, "day"),
            E("constraint-error", 4, "score"),
            E("constraint-error", 4, "ratio"),
            E("unique-error", 4, "code"),
            E("unique-error", 4, "tag"),
            E("constraint-error", 5, "code"),
            E("constraint-error", 5, "name"),
            E("constraint-error", 5, "level"),
            E("constraint-error", 5, "day"),
            E("constraint-error", 6, "score"),
            E("constraint-error", 6, "ratio"),
            E("constraint-error", 6, "level"),
            E("constraint-error", 7, "code"),
            E("unique-error", 8, "tag"),
        ],
        "header": [
            E("extra-label", nil, ""),
            E("duplicate-label", nil, "age"),
            E("type-error", 2, "age"),
        ],
        "missing": [
            E("constraint-error", 2, "income"),
            E("constraint-error", 3, "income"),
            E("constraint-error", 3, "note"),
            E("constraint-error", 4, "income"),
            E("constraint-error", 5, "note"),
        ],
        "primarykey": [
            E("primary-key", 5, nil),
            E("primary-key", 6, nil),
            E("primary-key", 8, nil),
        ],
        "structure": [
            E("constraint-error", 3, "c"),
            E("missing-cell", 3, "c"),
            E("blank-row", 4, nil),
            E("extra-cell", 5, ""),
            E("blank-row", 6, nil),
        ],
        "types": [
            E("type-error", 3, "email"),
            E("type-error", 3, "uri"),
            E("type-error", 3, "uuid"),
            E("type-error", 3, "count"),
            E("type-error", 3, "amount"),
            E("type-error", 3, "flag"),
            E("type-error", 3, "yesno"),
            E("type-error", 3, "day"),
            E("type-error", 3, "eu_day"),
            E("type-error", 3, "stamp"),
            E("type-error", 3, "clock"),
            E("type-error", 3, "yr"),
            E("type-error", 3, "ym"),
            E("type-error", 6, "email"),
            E("type-error", 6, "uuid"),
            E("type-error", 6, "count"),
            E("type-error", 6, "price"),
            E("type-error", 6, "day"),
            E("type-error", 6, "eu_day"),
            E("type-error", 6, "stamp"),
            E("type-error", 6, "clock"),
            E("type-error", 6, "yr"),
            E("type-error", 6, "ym"),
        ],
    ]

    private func found(_ name: String) throws -> [E] {
        let schema = try TableSchema.load(path: Fixtures.path("validation/parity/\(name).schema.json"))
        let summary = try Validator(schema: schema).validate(TableSource(path: Fixtures.path("validation/parity/\(name).csv")))
        XCTAssertEqual(summary.errorCount, summary.firstErrors.count)
        return summary.firstErrors.map { issue in
            let unnamed = issue.type == "extra-label" || issue.type == "extra-cell"
            return E(issue.type, issue.row, unnamed ? "" : issue.field)
        }
    }

    private func assertParity(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let actual = try found(name)
        let expected = Self.expected[name]!
        XCTAssertEqual(Set(actual), Set(expected), "\(name): missing \(Set(expected).subtracting(actual)), extra \(Set(actual).subtracting(expected))", file: file, line: line)
        XCTAssertEqual(actual.count, expected.count, "\(name): the same number of errors", file: file, line: line)
    }

    func testTypes() throws { try assertParity("types") }
    func testConstraints() throws { try assertParity("constraints") }
    func testRaggedAndBlankRows() throws { try assertParity("structure") }
    func testCompositePrimaryKey() throws { try assertParity("primarykey") }
    func testMissingValues() throws { try assertParity("missing") }
    func testHeader() throws { try assertParity("header") }

    /// fieldsMatch modes against frictionless 5.21.0, schema fields id, name, age.
    func testFieldsMatchModes() throws {
        let cases: [(String, String, [E])] = [
            ("exact", "name,id\nx,1\n", [E("missing-label", nil, "age"), E("incorrect-label", nil, "id"), E("incorrect-label", nil, "name"), E("type-error", 2, "id")]),
            ("exact", "id,name,nome\n1,x,3\n", [E("incorrect-label", nil, "age")]),
            ("equal", "name,id\nx,1\n", [E("missing-label", nil, "age")]),
            ("equal", "id,name,nome\n1,x,3\n", [E("extra-label", nil, ""), E("missing-label", nil, "age")]),
            ("subset", "id,name,age,extra\n1,x,3,e\n", []),
            ("subset", "id,age\n1,3\n", [E("missing-label", nil, "name")]),
            ("superset", "id,age\n1,3\n", []),
            ("superset", "id,name,age,extra\n1,x,3,e\n", [E("extra-label", nil, "")]),
            ("partial", "id,name,nome\n1,x,3\n", []),
            ("partial", "zzz\n1\n", [E("unmatched-header", nil, nil)]),
        ]
        let dir = try TemporaryDirectory()
        for (mode, csv, expected) in cases {
            let schemaPath = try dir.write("s.json", #"{"fields": [{"name": "id", "type": "integer"}, {"name": "name"}, {"name": "age", "type": "integer"}], "fieldsMatch": "\#(mode)"}"#)
            let summary = try Validator(schema: try TableSchema.load(path: schemaPath)).validate(TableSource(path: try dir.write("d.csv", csv)))
            let actual = summary.firstErrors.map { E($0.type, $0.row, $0.type == "extra-label" ? "" : $0.field) }
            XCTAssertEqual(Set(actual), Set(expected), "\(mode) with header \(csv.split(separator: "\n")[0])")
        }
    }
}
