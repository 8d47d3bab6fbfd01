import Core
import Foundation
import OCI
import Packaging
import ReportModel
import Tabular

extension ContinuousTrainingRun {
    /// The number of holdout rows the smoke stage sends.
    static let smokeRows = 10

    /// Starts the packaged image with a real OCI runtime and checks that it answers the first
    /// holdout rows as the evaluation did. Returns false when the image failed: then nothing
    /// may be pushed or promoted. Without a runtime the stage is skipped and says why, unless
    /// `package.smoke: required`, which makes that a breakage.
    func smokeStage(_ packaged: PackagedImage, mode: SmokeMode) throws -> Bool {
        guard mode != .off else {
            log.skip("smoke", because: "package.smoke is off")
            return true
        }
        let runtime: ContainerRuntime
        switch ContainerRuntime.locate(stateRoot: directory.file("smoke/runc"), environment: options.environment) {
        case .failure(let unavailable):
            guard mode != .required else {
                throw Failure.runtime("package.smoke is required, but no OCI runtime can start the image here: \(unavailable.reason)")
            }
            report.image?.smoke = SmokeSummary(outcome: "skipped", detail: "no OCI runtime: \(unavailable.reason)")
            log.skip("smoke", because: "no OCI runtime (\(unavailable.reason)); set package.smoke: required to make that an error")
            return true
        case .success(let found):
            runtime = found
        }
        var passed = true
        try log.run("smoke", "Starting the image with runc and asking it for predictions") {
            let probe = try smokeProbe()
            do {
                let summary = try SmokeTest(workDirectory: directory.file("smoke")).run(layout: packaged.layout.path, tag: packaged.tag, runtime: runtime, probe: probe)
                report.image?.smoke = summary
                let latency = String(format: "%.1f ms", (summary.latencySeconds ?? 0) * 1000)
                return (.passed, "\(summary.runtime ?? "runc"): ready in \(String(format: "%.2f", summary.startupSeconds ?? 0)) s; \(probe.rows.count) rows in \(latency), equal to the evaluation's predictions")
            } catch let refusal as SmokeTest.Refusal {
                report.image?.smoke = refusal.summary
                passed = false
                return (.failed, refusal.summary.detail)
            }
        }
        return passed
    }

    /// The first holdout rows and the candidate's evaluation predictions for them (the
    /// `score` column of a classifier, else `prediction`).
    private func smokeProbe() throws -> SmokeTest.Probe {
        guard let holdout = config.evaluate.holdout.map(file.resolve), let predictions = state.candidatePredictions else {
            throw Failure.usage("the smoke stage needs the evaluation's holdout and predictions (evaluate.holdout)")
        }
        let rows = try Self.firstRows(holdout, count: Self.smokeRows)
        let table = try Self.firstRows(predictions, count: rows.count)
        let column = table.first?["score"] != nil ? "score" : "prediction"
        let expected = try table.enumerated().map { index, row -> Double in
            guard let value = row[column].flatMap(Double.init) else {
                throw Failure.runtime("\(predictions) row \(index + 1): '\(row[column] ?? "")' in \(column) is not a number")
            }
            return value
        }
        guard expected.count == rows.count, !rows.isEmpty else {
            throw Failure.runtime("\(predictions) has \(expected.count) predictions for the first \(rows.count) holdout rows")
        }
        return SmokeTest.Probe(rows: rows, expected: expected)
    }

    /// The first `count` records of a table as column → text.
    private static func firstRows(_ path: String, count: Int) throws -> [[String: String]] {
        let reader = try TableReader(TableSource(path: path))
        var rows: [[String: String]] = []
        while rows.count < count, try reader.next() {
            if reader.fieldCount == 0 { continue }
            var row: [String: String] = [:]
            for (index, name) in reader.header.enumerated() where index < reader.fieldCount { row[name] = reader.string(index) }
            rows.append(row)
        }
        return rows
    }
}
