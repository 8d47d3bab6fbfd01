import Core
import Drift
import Foundation
import ReportModel
import Reports
import Tabular
import Validation

extension ContinuousTrainingRun {
    /// Whether a data path names a profile (JSON) rather than data rows.
    static func isProfile(_ path: String) -> Bool {
        path.lowercased().hasSuffix(".json")
    }

    /// Validates the current data against the schema; with `on_invalid: drop`, invalid rows
    /// are set aside in the same pass and the run goes on with the valid ones. Returns the
    /// current data later stages read (the file, or its valid rows), or nil when validation
    /// said no.
    func validateStage() throws -> String? {
        let current = file.resolve(config.data.current)
        guard let schemaName = config.data.schema else {
            log.skip(.validate, because: "no data.schema in \(file.path)")
            return current
        }
        guard !Self.isProfile(current) else {
            log.skip(.validate, because: "the current data is a profile, not rows")
            return current
        }
        return try log.produce(.validate, "Validating \(config.data.reference) and \(config.data.current) against \(schemaName)") {
            // The reference is training data too: it meets the same contract.
            let reference = file.resolve(config.data.reference)
            let quarantine = config.data.onInvalid == .drop
                ? Quarantine(validPath: directory.workFile("current.valid.csv"), rejectedPath: directory.file("rejected.csv")) : nil
            var flags = ValidateFlags()
            flags.data = current
            flags.observers = quarantine.map { [$0] } ?? []
            let currentSettings = try ValidateSettings.resolve(flags, sources)
            let referenceFailure: String?, checked: () throws -> ValidationSummary
            do {
                (referenceFailure, checked) = try validateBoth(reference: reference, current: currentSettings, sideBySide: quarantine != nil)
            } catch {
                quarantine?.discard()
                throw error
            }
            if let referenceFailure {
                quarantine?.discard()
                return (nil, .failed, referenceFailure)
            }
            var summary: ValidationSummary
            do {
                summary = try checked()
                try quarantine?.keep()
            } catch {
                quarantine?.discard()
                throw error
            }
            // Reports name the file as the user wrote it, and the set-aside rows as the job
            // artifacts hold them.
            summary.file = config.data.current
            if let quarantine, !summary.valid, quarantine.rejectedCount > 0 {
                summary.setAside = SetAsideRows(rows: quarantine.rejectedCount, totalRows: quarantine.validCount + quarantine.rejectedCount,
                                                allowedFraction: config.data.maxInvalidFraction, file: "rejected.csv")
            }
            report.validation = summary
            let line = ValidationWording.text(summary) + (summary.valid ? "" : " (\(ValidationWording.countsByType(summary)))")
            guard summary.accepted else { return (nil, .failed, line) }
            return (summary.setAside != nil ? quarantine?.validPath ?? current : current, .passed, line)
        }
    }

    /// Validates the reference data, then the current data (`current`'s settings): one after
    /// the other, each on every core, or with `sideBySide` (a quarantine needs the current
    /// rows in order, so that pass runs on one thread) the reference's beside it on the other
    /// cores. Returns the reference's failure message, which comes first either way, and the
    /// current data's summary to take (one after the other, its pass runs when taken, so not
    /// at all when the reference failed).
    private func validateBoth(reference: String, current: ValidateSettings, sideBySide: Bool) throws -> (String?, () throws -> ValidationSummary) {
        guard sideBySide else {
            return (try validateReference(reference, threads: nil), { try ValidateStage.run(current) })
        }
        let (failure, checked) = try SideBySide.run({ try validateReference(reference, threads: max(1, current.options.threads - 1)) }, {
            Result { try ValidateStage.run(current) }
        })
        return (failure, { try checked.get() })
    }

    /// Validates the reference data (unless it is a profile) on `threads` threads (nil: the
    /// default); returns the validate stage's message when it is invalid, else nil.
    private func validateReference(_ reference: String, threads: Int?) throws -> String? {
        guard !Self.isProfile(reference) else { return nil }
        var flags = ValidateFlags()
        flags.data = reference
        flags.threads = threads
        let checked = try ValidateStage.run(try ValidateSettings.resolve(flags, sources))
        guard !checked.valid else { return nil }
        let first = checked.firstErrors.first.map { issue in
            "; first at line \(issue.line.map(String.init) ?? "?")\(issue.field.map { ", field \($0)" } ?? ""): \(issue.message)"
        } ?? ""
        return "the reference data \(config.data.reference) is invalid: \(checked.errorCount) errors (\(ValidationWording.countsByType(checked)))\(first)"
    }

    /// Compares the current data with the reference; drift is evidence for the triggers, not
    /// a failure of its own.
    func driftStage(current: String) throws {
        var flags = DriftFlags()
        flags.current = current
        flags.quiet = options.quiet
        try log.run(DriftStage.stage, "Comparing \(config.data.current) with the reference \(config.data.reference)") {
            var summary = try DriftStage.run(try DriftSettings.resolve(flags, sources))
            // The files as the user named them, not the run's working copies.
            summary.reference = config.data.reference
            summary.current = config.data.current
            report.drift = summary
            return (.passed, DriftTable.verdict(summary))
        }
    }
}
