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

    /// Issue 15's cases, each recorded with frictionless 5.21.0 (`Resource.validate`,
    /// Python 3.11): schema, data, and the errors frictionless reported.
    func testIssue15Cases() throws {
        let idName = #"{"name": "id", "type": "integer"}, {"name": "name"}"#
        let cases: [(String, String, String, [E])] = [
            // A required or primary-key field with no column under partial/superset.
            (#"{"fields": [{"name": "id", "type": "integer"}, {"name": "name", "constraints": {"required": true}}, {"name": "age", "type": "integer"}], "fieldsMatch": "partial"}"#,
             "id,age\n1,3\n", "partial, required absent", [E("missing-label", nil, "name")]),
            (#"{"fields": [{"name": "id", "type": "integer"}, {"name": "name", "constraints": {"required": true}}, {"name": "age", "type": "integer"}], "fieldsMatch": "superset"}"#,
             "id,age,extra\n1,3,e\n", "superset, required absent", [E("extra-label", nil, ""), E("missing-label", nil, "name")]),
            (#"{"fields": [\#(idName)], "fieldsMatch": "partial"}"#, "id\n1\n", "partial, optional absent", []),
            // ... and the rows' key checks are skipped, in every mode.
            (#"{"fields": [\#(idName)], "primaryKey": ["id"], "fieldsMatch": "partial"}"#, "name\nx\ny\n", "partial, key absent", [E("missing-label", nil, "id")]),
            (#"{"fields": [\#(idName)], "primaryKey": ["id"], "fieldsMatch": "superset"}"#, "name,extra\nx,1\nx,2\n", "superset, key absent", [E("extra-label", nil, ""), E("missing-label", nil, "id")]),
            (#"{"fields": [{"name": "id", "type": "integer"}, {"name": "code"}, {"name": "name"}], "primaryKey": ["id", "code"], "fieldsMatch": "partial"}"#,
             "id,name\n1,x\n1,y\n", "partial, key part absent", [E("missing-label", nil, "code")]),
            (#"{"fields": [\#(idName)], "primaryKey": ["id"], "fieldsMatch": "equal"}"#, "name\nx\ny\n", "equal, key absent", [E("missing-label", nil, "id")]),
            (#"{"fields": [\#(idName)], "primaryKey": ["id"], "fieldsMatch": "subset"}"#, "name\nx\ny\n", "subset, key absent", [E("missing-label", nil, "id")]),
            (#"{"fields": [{"name": "name"}, {"name": "id", "type": "integer"}], "primaryKey": ["id"]}"#, "name\nx\ny\n", "exact, key beyond the header", [E("missing-label", nil, "id")]),
            // Blank rows, empty lines, short rows and type errors leave the key without a value.
            (#"{"fields": [\#(idName)], "primaryKey": ["id"]}"#, "id,name\n1,a\n,\n2,b\n,\n", "blank rows",
             [E("blank-row", 3, nil), E("primary-key", 3, nil), E("blank-row", 5, nil), E("primary-key", 5, nil)]),
            (#"{"fields": [\#(idName)], "primaryKey": ["id"]}"#, "id,name\n1,a\n\n2,b\n", "empty line", [E("blank-row", 3, nil), E("primary-key", 3, nil)]),
            (#"{"fields": [{"name": "name"}, {"name": "id", "type": "integer"}], "primaryKey": ["id"]}"#, "name,id\nx\ny\n", "short rows",
             [E("missing-cell", 2, "id"), E("primary-key", 2, nil), E("missing-cell", 3, "id"), E("primary-key", 3, nil)]),
            (#"{"fields": [\#(idName)], "primaryKey": ["id"]}"#, "id,name\n1,a\nx,b\ny,c\n", "key type errors",
             [E("type-error", 3, "id"), E("primary-key", 3, nil), E("type-error", 4, "id"), E("primary-key", 4, nil)]),
            (#"{"fields": [{"name": "id", "type": "integer"}, {"name": "code"}], "primaryKey": ["id", "code"]}"#, "id,code\n1,a\nx,a\ny,a\nz,b\n", "composite key type errors",
             [E("type-error", 3, "id"), E("type-error", 4, "id"), E("primary-key", 4, nil), E("type-error", 5, "id")]),
            (#"{"fields": [{"name": "id", "type": "integer"}, {"name": "code"}], "primaryKey": ["id", "code"]}"#, "id,code\n,a\n,a\n", "composite key missing part", [E("primary-key", 3, nil)]),
            // NaN is within no bound; infinities compare as such; NaN is in no enum.
            (#"{"fields": [{"name": "n", "type": "number", "constraints": {"minimum": 0, "maximum": 10}}]}"#, "n\nNaN\nnan\n5\n", "NaN with bounds",
             [E("constraint-error", 2, "n"), E("constraint-error", 2, "n"), E("constraint-error", 3, "n"), E("constraint-error", 3, "n")]),
            (#"{"fields": [{"name": "n", "type": "number", "constraints": {"minimum": 0}}]}"#, "n\n-nan\n", "NaN with a minimum", [E("constraint-error", 2, "n")]),
            (#"{"fields": [{"name": "n", "type": "number", "constraints": {"minimum": 0, "maximum": 10}}]}"#, "n\ninf\n-Infinity\n", "infinities with bounds",
             [E("constraint-error", 2, "n"), E("constraint-error", 3, "n")]),
            (#"{"fields": [{"name": "n", "type": "number", "constraints": {"enum": [1, 2]}}]}"#, "n\nNaN\n", "NaN and an enum", [E("constraint-error", 2, "n")]),
            // dateutil's isoparse reads a lowercase z (and t) as frictionless's default format.
            (#"{"fields": [{"name": "t", "type": "datetime"}]}"#, "t\n2020-01-01T00:00:00z\n2020-01-01T00:00:00.5z\n2020-01-01T00:00:00Z\n2020-01-01t00:00:00\n", "lowercase z", []),
            (#"{"fields": [{"name": "t", "type": "time"}]}"#, "t\n10:00:00z\n10:00:00Z\n", "time with lowercase z", []),
        ]
        let dir = try TemporaryDirectory()
        for (schema, csv, label, expected) in cases {
            let schemaPath = try dir.write("s.json", schema)
            let summary = try Validator(schema: try TableSchema.load(path: schemaPath)).validate(TableSource(path: try dir.write("d.csv", csv)))
            let actual = summary.firstErrors.map { E($0.type, $0.row, $0.type == "extra-label" ? "" : $0.field) }
            XCTAssertEqual(actual.sorted { ($0.row ?? 0, $0.description) < ($1.row ?? 0, $1.description) },
                           expected.sorted { ($0.row ?? 0, $0.description) < ($1.row ?? 0, $1.description) }, label)
            // Within a row, the order is frictionless's too (blank-row or type-error first).
            XCTAssertEqual(actual.filter { $0.row != nil }, expected.filter { $0.row != nil }, "\(label): row order")
        }
    }
}
