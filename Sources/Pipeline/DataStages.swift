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
    /// are set aside in the same pass and the run goes on with the valid ones. Returns false
    /// when validation said no.
    func validateStage() throws -> Bool {
        let current = file.resolve(config.data.current)
        state.currentData = current
        guard let schemaName = config.data.schema else {
            log.skip("validate", because: "no data.schema in \(file.path)")
            return true
        }
        guard !Self.isProfile(current) else {
            log.skip("validate", because: "the current data is a profile, not rows")
            return true
        }
        let schemaPath = file.resolve(schemaName)
        state.schemaPath = schemaPath
        var passed = true
        try log.run("validate", "Validating \(config.data.current) against \(schemaName)") {
            let schema = try TableSchema.load(path: schemaPath)
            let quarantine = config.data.onInvalid == .drop
                ? Quarantine(validPath: directory.file("current.valid.csv"), rejectedPath: directory.file("rejected.csv")) : nil
            var summary: ValidationSummary
            do {
                summary = try Validator(schema: schema, schemaPath: schemaPath).validate(TableSource(path: current), observers: quarantine.map { [$0] } ?? [])
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
            guard summary.accepted else {
                passed = false
                return (.failed, line)
            }
            if summary.setAside != nil, let quarantine { state.currentData = quarantine.validPath }
            return (.passed, line)
        }
        return passed
    }

    /// Compares the current data with the reference; drift is evidence for the triggers, not
    /// a failure of its own.
    func driftStage() throws {
        let reference = file.resolve(config.data.reference)
        let current = state.currentData ?? file.resolve(config.data.current)
        try log.run("drift", "Comparing \(config.data.current) with the reference \(config.data.reference)") {
            let schema = try state.schemaPath.map { try TableSchema.load(path: $0) }
            var section = config.drift
            // Target drift is not feature drift: the label never counts toward dataset drift.
            section.exclude.append(labelColumn)
            var summary = try DriftDetector.compare(reference: reference, current: current, options: section.options(schema: schema))
            // The files as the user named them, not the run's working copies.
            summary.reference = config.data.reference
            summary.current = config.data.current
            report.drift = summary
            return (.passed, DriftTable.verdict(summary))
        }
    }

    /// The label column, as training and evaluation name it.
    var labelColumn: String {
        config.train?.label ?? config.evaluate.labelColumn ?? "label"
    }
}
