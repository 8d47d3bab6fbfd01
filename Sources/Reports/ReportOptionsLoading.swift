import Core
import Foundation

extension ReportFiles.Options {
    /// Options with the template read from the file `template` (when given), the report
    /// key, the artifacts link (the one given, else the CI's own) and the HTML report's link.
    public static func load(template: String?, key: String?, artifactsURL: String?, ciArtifactsURL: String?, reportURL: String? = nil) throws -> ReportFiles.Options {
        var text: String?
        if let template {
            guard let data = FileManager.default.contents(atPath: template) else {
                throw Failure.usage("cannot read the template \(template): no such file or not readable")
            }
            text = String(decoding: data, as: UTF8.self)
        }
        return ReportFiles.Options(template: text, key: key, artifactsURL: artifactsURL ?? ciArtifactsURL, reportURL: reportURL)
    }
}
