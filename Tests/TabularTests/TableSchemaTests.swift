import Core
import Foundation
import Tabular
import TestSupport
import XCTest

final class TableSchemaTests: XCTestCase {
    private func schema(_ json: String) throws -> TableSchema {
        try TableSchema(json: Data(json.utf8), source: "s.json")
    }

    private func schemaError(_ json: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try schema(json)
            XCTFail("expected a schema error", file: file, line: line)
            return ""
        } catch let error as SchemaError {
            XCTAssertEqual(error.exitStatus, .usage, file: file, line: line)
            return error.description
        } catch {
            XCTFail("unexpected \(error)", file: file, line: line)
            return ""
        }
    }

    func testLoadsTheBundledExampleSchema() throws {
        let schema = try TableSchema.load(path: Fixtures.repo("templates/example/schema.json"))
        XCTAssertEqual(schema.fields.count, 15)
        XCTAssertEqual(schema.primaryKey, ["customer_id"])
        XCTAssertEqual(schema.checks, DatasetChecks(minRows: 1000, maxMissingFraction: ["satisfaction_score": 0.1]))
        let age = schema.fields[schema.index(of: "age")!]
        XCTAssertEqual(age.type, .integer)
        XCTAssertEqual(age.constraints.minimum, .integer(18))
        XCTAssertEqual(age.constraints.maximum, .integer(100))
        XCTAssertEqual(schema.fields[schema.index(of: "label")!].constraints.enumValues, ["0", "1"])
        XCTAssertEqual(schema.fields[schema.index(of: "signup_date")!].constraints.minimum, .date(10957))
        XCTAssertEqual(schema.warnings, [])
    }

    func testConstraintValueOfTheWrongTypeNamesItsJSONPath() {
        let message = schemaError(#"{"fields": [{"name": "a"}, {"name": "b"}, {"name": "c"}, {"name": "d", "type": "integer", "constraints": {"minimum": "abc"}}]}"#)
        XCTAssertEqual(message, #"s.json: fields[3].constraints.minimum: expected an integer, got "abc""#)
        XCTAssertEqual(schemaError(#"{"fields": [{"name": "x", "type": "number", "constraints": {"maximum": true}}]}"#),
                       "s.json: fields[0].constraints.maximum: expected a number, got true")
    }

    func testUnknownTypeAndConstraintAreRejected() {
        XCTAssertTrue(schemaError(#"{"fields": [{"name": "a", "type": "integr"}]}"#)
            .hasPrefix(#"s.json: fields[0].type: unknown type "integr"; expected one of string, integer, number"#))
        XCTAssertTrue(schemaError(#"{"fields": [{"name": "a", "type": "geopoint"}]}"#).contains("is not supported by Sluice"))
        XCTAssertTrue(schemaError(#"{"fields": [{"name": "a", "constraints": {"minimun": 1}}]}"#)
            .hasPrefix(#"s.json: fields[0].constraints.minimun: unknown constraint "minimun""#))
        XCTAssertTrue(schemaError(#"{"fields": [{"name": "a", "type": "integer", "constraints": {"minLength": 1}}]}"#)
            .contains(#"constraint "minLength" does not apply to type integer"#))
    }

    func testInvalidPatternIsRejected() {
        XCTAssertTrue(schemaError(#"{"fields": [{"name": "code", "constraints": {"pattern": "([A-Z"}}]}"#)
            .hasPrefix(#"s.json: fields[0].constraints.pattern: "([A-Z" is not a valid regular expression (RE2 syntax"#))
    }

    /// Backreferences and lookaround need backtracking (exponential time on hostile cells):
    /// such a pattern is a schema error (exit 2), not a slow validation.
    func testPatternsThatNeedBacktrackingAreSchemaErrors() {
        for pattern in [#"(a)\\1"#, "(?=a)a", "a(?!b)"] {
            let message = schemaError(#"{"fields": [{"name": "code", "constraints": {"pattern": "\#(pattern)"}}]}"#)
            XCTAssertTrue(message.contains("is not a valid regular expression (RE2 syntax, matched in linear time: no backreferences or lookaround): "), message)
        }
    }

    func testNotJSONAndNotASchema() {
        XCTAssertTrue(schemaError("fields: [a, b]").hasPrefix("s.json: not valid JSON"))
        XCTAssertEqual(schemaError("[1, 2]"), #"s.json: expected a JSON object with "fields", got an array"#)
        XCTAssertEqual(schemaError("{}"), "s.json: fields: missing; expected an array of field descriptors")
        XCTAssertEqual(schemaError(#"{"fields": [{"name": "a"}, {"name": "a"}]}"#),
                       #"s.json: fields[1].name: duplicate field name "a"; each field needs its own name"#)
    }

    func testBrokenJSONIsPlacedByLineAndColumn() throws {
        XCTAssertEqual(schemaError("{\n  \"fields\": [\n {\"name\" \"a\"}]}"),
                       "s.json: not valid JSON at line 3, column 10: expected ':' after the key; expected a Table Schema object such as {\"fields\": [...]}")
        XCTAssertTrue(schemaError(#"{"fields": [{"name": "a"}"#).contains("line 1, column 26: the document ends early (is it truncated?)"))
        let notUTF8 = Data(#"{"fields": [{"name": ""#.utf8) + Data([0xFF]) + Data(#""}]}"#.utf8)
        XCTAssertThrowsError(try TableSchema(json: notUTF8, source: "s.json")) { error in
            XCTAssertTrue("\(error)".contains("line 1, column 23: bytes that are not UTF-8 (0xFF); save the file as UTF-8"), "\(error)")
        }
        let withNUL = Data(#"{"fields": []}"#.utf8) + Data([0])
        XCTAssertThrowsError(try TableSchema(json: withNUL, source: "s.json")) { error in
            XCTAssertTrue("\(error)".contains("line 1, column 15: a NUL byte"), "\(error)")
        }
    }

    func testMissingSchemaFileIsAConfigurationError() {
        XCTAssertThrowsError(try TableSchema.load(path: "/nonexistent/schema.json")) { error in
            XCTAssertEqual((error as? SchemaError)?.description, "/nonexistent/schema.json: no such schema file")
            XCTAssertEqual((error as? SluiceError)?.exitStatus, .usage)
        }
    }

    func testSchemaLevelKeys() throws {
        let loaded = try schema(#"""
        {"fields": [{"name": "id", "type": "integer"}, {"name": "v", "type": "number"}],
         "missingValues": ["", "NA", {"value": "-99", "label": "refused"}], "primaryKey": "id", "fieldsMatch": "subset",
         "sluice": {"rowCount": {"min": 1, "max": 10}}, "colour": "blue"}
        """#)
        XCTAssertEqual(loaded.missingValues, ["", "NA", "-99"])
        XCTAssertEqual(loaded.primaryKey, ["id"])
        XCTAssertEqual(loaded.fieldsMatch, .subset)
        XCTAssertEqual(loaded.checks.minRows, 1)
        XCTAssertEqual(loaded.checks.maxRows, 10)
        XCTAssertEqual(loaded.warnings, ["s.json: colour: unknown key, ignored"])
        XCTAssertEqual(schemaError(#"{"fields": [{"name": "id"}], "primaryKey": ["id", "nope"]}"#), #"s.json: primaryKey[1]: no field is named "nope""#)
        XCTAssertEqual(schemaError(#"{"fields": [{"name": "id"}], "fieldsMatch": "loose"}"#),
                       #"s.json: fieldsMatch: expected one of exact, equal, subset, superset, partial, got "loose""#)
        XCTAssertEqual(schemaError(#"{"fields": [{"name": "id"}], "sluice": {"maxMissingFraction": {"id": 1.5}}}"#),
                       "s.json: sluice.maxMissingFraction.id: expected a fraction from 0 to 1, got 1.5")
        XCTAssertEqual(schemaError(#"{"fields": [{"name": "id"}], "sluice": {"rowCount": {"min": 5, "max": 2}}}"#),
                       "s.json: sluice.rowCount: min 5 is greater than max 2")
    }

    func testEnumMembersMustBeOfTheFieldType() {
        XCTAssertEqual(schemaError(#"{"fields": [{"name": "n", "type": "integer", "constraints": {"enum": [1, "two"]}}]}"#),
                       #"s.json: fields[0].constraints.enum[1]: expected an integer, got "two""#)
    }

    func testBadFormatsAreRejected() {
        XCTAssertTrue(schemaError(#"{"fields": [{"name": "d", "type": "date", "format": "%Q"}]}"#)
            .hasPrefix(#"s.json: fields[0].format: the date pattern "%Q" uses %Q, which Sluice does not read"#))
        XCTAssertTrue(schemaError(#"{"fields": [{"name": "s", "format": "phone"}]}"#).hasPrefix(#"s.json: fields[0].format: unknown string format "phone""#))
        XCTAssertTrue(schemaError(#"{"fields": [{"name": "n", "type": "number", "decimalChar": ",,"}]}"#).hasPrefix("s.json: fields[0].decimalChar: expected one ASCII character"))
    }

    func testRoundTripThroughJSON() throws {
        let original = try TableSchema.load(path: Fixtures.repo("templates/example/schema.json"))
        var copy = try schema(try original.jsonString())
        copy.description = original.description
        XCTAssertEqual(copy.fields.map(\.name), original.fields.map(\.name))
        XCTAssertEqual(copy.fields.map(\.constraints), original.fields.map(\.constraints))
        XCTAssertEqual(copy.checks, original.checks)
        XCTAssertEqual(copy.primaryKey, original.primaryKey)
    }
}
