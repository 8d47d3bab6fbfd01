import Core
import Drift
import Foundation
import ReportModel
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
        let schemaPath = file.resolve(schemaName)
        return try log.produce(.validate, "Validating \(config.data.current) against \(schemaName)") {
            let schema = try TableSchema.load(path: schemaPath)
            let quarantine = config.data.onInvalid == .drop
                ? Quarantine(validPath: directory.workFile("current.valid.csv"), rejectedPath: directory.file("rejected.csv")) : nil
            let summary: ValidationSummary
            do {
                summary = try Validator(schema: schema, schemaPath: schemaPath).validate(TableSource(path: current), observers: quarantine.map { [$0] } ?? [])
            } catch {
                quarantine?.discard()
                throw error
            }
            report.validation = summary
            if summary.valid {
                return (current, .passed, "\(summary.rowCount) rows valid")
            }
            let counts = summary.errorsByType.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            guard let quarantine, quarantine.rejectedCount > 0 else {
                return (nil, .failed, "\(summary.errorCount) errors (\(counts))")
            }
            let total = max(1, quarantine.validCount + quarantine.rejectedCount)
            let fraction = Double(quarantine.rejectedCount) / Double(total)
            let tableLevel = (summary.tableErrorCount ?? 0) > 0
            let share = String(format: "%.2f%%", fraction * 100)
            if tableLevel || fraction > config.data.maxInvalidFraction {
                let why = tableLevel ? "the table itself is invalid" : "more than max_invalid_fraction \(config.data.maxInvalidFraction)"
                return (nil, .failed, "\(quarantine.rejectedCount) of \(total) rows invalid (\(share)): \(why); \(counts)")
            }
            return (quarantine.validPath, .passed, "\(quarantine.rejectedCount) of \(total) rows invalid (\(share)), set aside in rejected.csv; going on with \(quarantine.validCount) valid rows (\(counts))")
        }
    }

    /// Compares the current data with the reference; drift is evidence for the triggers, not
    /// a failure of its own.
    func driftStage(current: String) throws {
        var flags = DriftFlags()
        flags.current = current
        try log.run(DriftStage.stage, "Comparing \(config.data.current) with the reference \(config.data.reference)") {
            let summary = try DriftStage.run(try DriftSettings.resolve(flags, sources))
            report.drift = summary
            return (.passed, DriftTable.verdict(summary))
        }
    }
}
