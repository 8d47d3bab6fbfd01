import Core
import Foundation
import ReportModel

/// Reads `run.json`, refusing shapes this Sluice does not know.
public enum ReportFile {
    public static func read(_ path: String) throws -> RunReport {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure.usage("cannot read the run report \(path): no such file or not readable")
        }
        struct Version: Decodable { let schemaVersion: Int? }
        guard let version = try? JSONDecoder().decode(Version.self, from: data) else {
            throw Failure.usage("\(path) is not a JSON object: expected a run report (run.json, see docs/run-report.md)")
        }
        guard let schema = version.schemaVersion else {
            throw Failure.usage("\(path) has no schemaVersion: expected a run report (run.json, see docs/run-report.md)")
        }
        guard schema == RunReport.currentSchemaVersion else {
            throw Failure.usage("\(path) has schemaVersion \(schema); this sluice reads version \(RunReport.currentSchemaVersion)")
        }
        do {
            return try JSONOutput.decoder().decode(RunReport.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw Failure.usage("\(path): missing \(pathText(context.codingPath + [key]))")
        } catch let DecodingError.typeMismatch(type, context) {
            throw Failure.usage("\(path): \(pathText(context.codingPath)) is not a \(type)")
        } catch let DecodingError.valueNotFound(type, context) {
            throw Failure.usage("\(path): \(pathText(context.codingPath)) is null, expected a \(type)")
        } catch let DecodingError.dataCorrupted(context) {
            throw Failure.usage("\(path): \(pathText(context.codingPath)): \(context.debugDescription)")
        } catch {
            throw Failure.usage("\(path): \(error)")
        }
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
