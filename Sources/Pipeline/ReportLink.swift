import CIEnvironment

/// Where a reviewer opens the HTML report in one click from the comment, given the job's
/// page and the artifacts the CI templates Sluice ships keep.
enum ReportLink {
    /// GitLab: the artifact file page of `.sluice/latest/report.html` (rendered in place
    /// when the instance serves artifacts through Pages, else offered for download);
    /// Jenkins: the `publishHTML` page named "Sluice report"; GitHub: the run's artifacts
    /// (zip files, which GitHub cannot open one file of).
    static func url(_ facts: CIFacts) -> String? {
        switch facts.system {
        case .gitlab: return facts.jobURL.map { "\($0)/artifacts/file/.sluice/latest/report.html" }
        case .jenkins: return facts.jobURL.map { ($0.hasSuffix("/") ? $0 : $0 + "/") + "Sluice_20report/" }
        case .github: return facts.artifactsURL
        case .local: return nil
        }
    }
}
