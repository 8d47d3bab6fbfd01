import Foundation
import Tabular

/// Table Schemas for tests, written as JSON, some over a fixture's own columns.
enum TestSchemas {
    /// The schema `json` describes.
    static func schema(_ json: String) throws -> TableSchema {
        try TableSchema(json: Data(json.utf8), source: "test")
    }

    /// The fields of a schema over `header`: each column with its type from `types` and the
    /// constraints `constraints` writes for its index (the inside of the JSON object).
    static func fields(_ header: [String], _ types: [FieldType], constraints: (Int) -> String) -> String {
        header.enumerated().map { index, name in
            #"{"name": "\#(name)", "type": "\#(types[index].rawValue)", "constraints": {\#(constraints(index))}}"#
        }.joined(separator: ", ")
    }
}
