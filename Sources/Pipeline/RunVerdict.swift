import Core
import ReportModel

/// The run's verdict, decided in one place from the stage records and the breakage (if
/// any): a breakage is an error (exit 3, or 2 for configuration), a stage that said no is a
/// failure (exit 1), and otherwise the run passed (exit 0).
struct RunVerdict {
    let records: [StageRecord]
    let breakage: SluiceError?

    /// The outcome for run.json; `passSummary` words a run that passed.
    func outcome(passSummary: () -> String) -> Outcome {
        if let breakage {
            let failed = records.last { $0.status == .error }?.name
            return Outcome(status: .error, summary: "\(failed.map { "stage \($0.rawValue) broke: " } ?? "")\(breakage.description)", failedStage: failed)
        }
        // The gates are the verdict on a candidate; other stages say no on their own.
        if let failed = records.first(where: { $0.name == .gates && $0.status == .failed }) ?? records.first(where: { $0.status == .failed }) {
            return Outcome(status: .failed, summary: "\(failed.name.rawValue) said no: \(failed.message ?? "")", failedStage: failed.name)
        }
        return Outcome(status: .passed, summary: passSummary())
    }

    /// The exit status: 0 passed, 1 a stage said no, the breakage's own status (a verdict
    /// thrown as an error is a breakage: 3).
    var exitStatus: ExitStatus {
        if let breakage { return breakage.exitStatus == .verdictFailed ? .runtime : breakage.exitStatus }
        return records.contains { $0.status == .failed } ? .verdictFailed : .success
    }
}
