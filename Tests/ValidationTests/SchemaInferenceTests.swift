import Core
import Tabular
import TestSupport
import Validation
import XCTest

final class SchemaInferenceTests: XCTestCase {
    func testInfersTheExampleAndValidatesItWithZeroErrors() throws {
        let source = TableSource(path: Fixtures.repo("templates/example/reference.csv"))
        for bounds in [false, true] {
            let schema = try SchemaInference.infer(source, options: InferenceOptions(enumThreshold: 10, bounds: bounds))
            let types = Dictionary(uniqueKeysWithValues: schema.fields.map { ($0.name, $0.type) })
            XCTAssertEqual(types["customer_id"], .string)
            XCTAssertEqual(types["signup_date"], .date)
            XCTAssertEqual(types["age"], .integer)
            XCTAssertEqual(types["annual_income"], .number)
            XCTAssertEqual(types["has_autopay"], .boolean)
            XCTAssertEqual(types["label"], .integer)
            let region = schema.fields[schema.index(of: "region")!]
            XCTAssertEqual(region.constraints.enumValues, ["central", "east", "north", "south", "west"])
            XCTAssertTrue(region.constraints.required)
            XCTAssertNil(schema.fields[schema.index(of: "customer_id")!].constraints.enumValues, "4000 distinct ids are no enum")
            XCTAssertFalse(schema.fields[schema.index(of: "satisfaction_score")!].constraints.required, "it has missing cells")
            XCTAssertEqual(schema.fields[schema.index(of: "age")!].constraints.minimum != nil, bounds)

            // Round trip through JSON, as a user would commit it.
            let reloaded = try TableSchema(json: Data(try schema.jsonString().utf8), source: "inferred")
            let summary = try Validator(schema: reloaded).validate(source)
            XCTAssertTrue(summary.valid, "inferred schema (bounds \(bounds)) must accept its own data: \(summary.firstErrors.prefix(3))")
        }
    }

    func testTypeOrderAndTemporalBounds() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "i,n,b,d,dt,t,s,empty\n1,1,true,2024-01-01,2024-01-01T10:00:00.25Z,10:00:00,a,\n2,2.5,False,2024-12-31,2024-06-01T00:00:00+02:00,23:59:59.5,b,\n")
        let schema = try SchemaInference.infer(TableSource(path: path), options: InferenceOptions(bounds: true))
        XCTAssertEqual(schema.fields.map(\.type), [.integer, .number, .boolean, .date, .datetime, .time, .string, .any])
        XCTAssertEqual(schema.fields[1].constraints.maximum, .number(2.5))
        XCTAssertNil(schema.fields[6].constraints.enumValues, "two values in two rows are no evidence of an enum")
        let reloaded = try TableSchema(json: Data(try schema.jsonString().utf8), source: "inferred")
        XCTAssertTrue(try Validator(schema: reloaded).validate(TableSource(path: path)).valid)
    }

    func testDatetimeBoundsKeepTheColumnsForm() throws {
        // Issue 15: naive values got bounds with a Z, and frictionless 5.21 then fails
        // ("can't compare offset-naive and offset-aware datetimes"); with naive bounds it
        // reports no error on the same data (recorded with frictionless 5.21.0).
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "naive,aware\n2020-01-02T00:00:00,2020-01-02T00:00:00Z\n2020-01-03T10:30:00.5,2020-01-03T10:30:00+01:00\n")
        let schema = try SchemaInference.infer(TableSource(path: path), options: InferenceOptions(bounds: true))
        let json = try schema.jsonString()
        let fields = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])?["fields"] as? [[String: Any]])
        let naive = try XCTUnwrap(fields[0]["constraints"] as? [String: Any])
        XCTAssertEqual(naive["minimum"] as? String, "2020-01-02T00:00:00")
        XCTAssertEqual(naive["maximum"] as? String, "2020-01-03T10:30:01")
        let aware = try XCTUnwrap(fields[1]["constraints"] as? [String: Any])
        XCTAssertEqual(aware["minimum"] as? String, "2020-01-02T00:00:00Z")
        XCTAssertEqual(aware["maximum"] as? String, "2020-01-03T09:30:00Z")
        // Loading keeps the form, so a loaded schema writes back what it read.
        let reloaded = try TableSchema(json: Data(json.utf8), source: "inferred")
        XCTAssertEqual(try reloaded.jsonString(), json)
        XCTAssertTrue(try Validator(schema: reloaded).validate(TableSource(path: path)).valid)
    }

    func testDuplicateColumnNamesCannotHaveASchema() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("d.csv", "a,b,a\n1,2,3\n")
        XCTAssertThrowsError(try SchemaInference.infer(TableSource(path: path))) { error in
            XCTAssertEqual((error as? SluiceError)?.exitStatus, .verdictFailed)
            XCTAssertTrue("\(error)".contains("columns 1 and 3 are both named \"a\""))
        }
    }
}
