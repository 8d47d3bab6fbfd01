import CIEnvironment
import Core
import Foundation
import Reports

/// The rendering options `report render` and `report post` share: a template read from a
/// file, the report key, and the artifacts link (flag, else the CI's own).
enum ReportOptions {
    static func resolve(template: String?, key: String?, artifactsURL: String?, facts: CIFacts = CIEnvironment.detect()) throws -> ReportFiles.Options {
        var text: String?
        if let template {
            guard let data = FileManager.default.contents(atPath: template) else {
                throw Failure.usage("cannot read the template \(template): no such file or not readable")
            }
            text = String(decoding: data, as: UTF8.self)
        }
        return ReportFiles.Options(template: text, key: key, artifactsURL: artifactsURL ?? facts.artifactsURL)
    }
}
