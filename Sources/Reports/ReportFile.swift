import Core
import Foundation
import ReportModel

/// Reads `run.json`, refusing shapes this Sluice does not know.
public enum ReportFile {
    public static func read(_ path: String) throws -> RunReport {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure.usage("cannot read the run report \(path): no such file or not readable")
        }
        let expected = "expected a run report (run.json, see docs/run-report.md)"
        if let problem = JSONSyntax.problem(in: data) {
            throw Failure.usage("\(path) is not valid JSON at \(problem); \(expected)")
        }
        guard data.first(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }) == UInt8(ascii: "{") else {
            throw Failure.usage("\(path) holds \(topLevelKind(data)), not a JSON object; \(expected)")
        }
        struct Version: Decodable { let schemaVersion: Int? }
        let version = try decode(Version.self, from: data, path: path)
        guard let schema = version.schemaVersion else {
            throw Failure.usage("\(path) has no schemaVersion: expected a run report (run.json, see docs/run-report.md)")
        }
        guard schema == RunReport.currentSchemaVersion else {
            throw Failure.usage("\(path) has schemaVersion \(schema); this sluice reads version \(RunReport.currentSchemaVersion)")
        }
        return try decode(RunReport.self, from: data, path: path)
    }

    /// Decodes `type`, turning decoding errors into messages that name the JSON path.
    private static func decode<T: Decodable>(_ type: T.Type, from data: Data, path: String) throws -> T {
        do {
            return try JSONOutput.decoder().decode(type, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw Failure.usage("\(path): missing \(pathText(context.codingPath + [key]))")
        } catch let DecodingError.typeMismatch(type, context) {
            let found = context.debugDescription.range(of: "found ").flatMap { start in
                context.debugDescription[start.upperBound...].range(of: " instead").map { context.debugDescription[start.upperBound..<$0.lowerBound] }
            }
            throw Failure.usage("\(path): \(pathText(context.codingPath)) should be \(words(for: type))\(found.map { ", not \($0)" } ?? "")")
        } catch let DecodingError.valueNotFound(type, context) {
            throw Failure.usage("\(path): \(pathText(context.codingPath)) is null, expected \(words(for: type))")
        } catch let DecodingError.dataCorrupted(context) {
            throw Failure.usage("\(path): \(pathText(context.codingPath)): \(context.debugDescription)")
        } catch {
            throw Failure.usage("\(path): \(error)")
        }
    }

    /// What kind of JSON value the document is, in words ("a JSON array").
    static func topLevelKind(_ data: Data) -> String {
        switch data.first(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }) {
        case UInt8(ascii: "["): return "a JSON array"
        case UInt8(ascii: "\""): return "a JSON string"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return "a JSON boolean"
        case UInt8(ascii: "n"): return "JSON null"
        case nil: return "nothing"
        default: return "a JSON number"
        }
    }

    /// A Swift type as a person reading the JSON would name it.
    static func words(for type: Any.Type) -> String {
        let name = String(describing: type)
        if name.hasPrefix("Dictionary") { return "an object" }
        if name.hasPrefix("Array") { return "an array" }
        if name.hasPrefix("String") { return "a string" }
        if name.hasPrefix("Bool") { return "true or false" }
        if ["Int", "Double", "Float", "Int64", "UInt"].contains(name) { return "a number" }
        return "a \(name)"
    }

    /// `evaluation.metrics[2].name` from a coding path.
    static func pathText(_ path: [CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue { text += "[\(index)]" } else { text += text.isEmpty ? key.stringValue : ".\(key.stringValue)" }
        }
        return text.isEmpty ? "the document" : text
    }
}
