import Core
import Evaluation
import Foundation
import Gates
import OCI
import Packaging
import ReportModel
import Tabular
import Training

/// The model in production, as the champion stage found it.
struct Champion {
    /// The model file (or whatever path the prediction command takes).
    let model: String
    /// Where it came from: an image digest or the configured path.
    let source: String
    /// The metrics of its own evaluation as a candidate, when it carries them.
    let atTraining: [String: Double]?
}

extension ContinuousTrainingRun {
    /// Finds the champion: a registry image's model layer, or a model path. No champion is
    /// the normal first run, not an error. `log`: the run's, or a held one (`StageLog.held`).
    func championStage(log: StageLog) throws -> Champion? {
        if let section = config.champion, let image = section.image {
            return try log.produce(.champion, "Pulling the champion model from \(image)") {
                let reference = try Reference(parsing: image)
                let registries = try sharedRegistries()
                guard try registries.client(reference.registry).manifestDigest(reference.repository, reference.identifier) != nil else {
                    return (nil, .passed, "no image at \(image) yet: first run, comparisons with a champion are not applicable")
                }
                let target = directory.workFile("champion")
                let pulled = try ModelPull.pull(reference, layer: section.layer, into: target, registries: registries)
                let model = (target as NSString).appendingPathComponent(section.modelFile)
                let source = "\(reference.registry)/\(reference.repository)@\(pulled.imageDigest)"
                let metrics = try Self.trainingMetrics(ofImage: pulled.imageDigest, in: reference, registries: registries) ?? Self.trainingMetrics(besideModel: model)
                return (Champion(model: model, source: source, atTraining: metrics), .passed, "champion \(source)")
            }
        } else if let uri = mlflowSettings.champion, let client = mlflowSettings.client {
            return try mlflowChampion(uri, client: client, log: log)
        } else if let path = config.evaluate.champion?.model {
            let model = file.resolve(path)
            guard FileManager.default.fileExists(atPath: model) else {
                log.skip(.champion, because: "no champion model at \(path) yet: first run")
                return nil
            }
            return log.produce(.champion, "Using the champion model \(path)") {
                let metrics = Self.trainingMetrics(besideModel: model)
                return (Champion(model: model, source: path, atTraining: metrics), .passed, "champion \(path)\(metrics == nil ? "" : " (with the metrics of its own evaluation)")")
            }
        }
        log.skip(.champion, because: "no champion configured (champion.image, champion.mlflow, mlflow.model or evaluate.champion.model)")
        return nil
    }

    /// Accuracy decay: the champion evaluated on the current data's fresh labels. Returns
    /// the champion's metrics on them. `log`: the run's, or a held one (`StageLog.held`).
    func decayStage(champion: Champion?, current: String, log: StageLog) throws -> [String: Double]? {
        guard let decay = config.triggers.accuracyDecay else {
            log.skip(.decay, because: "triggers.accuracy_decay is not configured")
            return nil
        }
        guard let champion else {
            log.skip(.decay, because: "no champion to evaluate")
            return nil
        }
        guard !Self.isProfile(current) else {
            log.skip(.decay, because: "the current data is a profile, without labels")
            return nil
        }
        let label = try sources.labelColumn()
        guard try Self.header(of: current).contains(label) else {
            log.skip(.decay, because: "the current data has no \(label) column (no fresh labels)")
            return nil
        }
        return try log.produce(.decay, "Evaluating the champion on fresh labels") {
            var flags = EvaluateFlags()
            flags.model = champion.model
            flags.labels = current
            flags.predictionsDirectory = directory.workFile("predictions/fresh")
            var settings = try EvaluateSettings.resolve(flags, sources)
            settings.champion = nil
            // Only the champion's metrics are read here: no slices (nor their columns read).
            settings.options.sliceBy = []
            let summary = try EvaluateStage.run(settings)
            let fresh = Dictionary(summary.metrics.map { ($0.name, $0.candidate) }, uniquingKeysWith: { a, _ in a })
            let value = fresh[decay.metric].map { String(format: "%.4f", $0) } ?? "not computed"
            return (fresh, .passed, "champion \(decay.metric) on \(summary.rowCount) freshly labelled rows: \(value)")
        }
    }

    /// Evaluates the triggers; returns whether any fired.
    func triggerStage(champion: Champion?, fresh: [String: Double]?) -> Bool {
        let inputs = TriggerInputs(mode: context.mode, forced: options.force, drift: report.drift, championFresh: fresh, championAtTraining: champion?.atTraining, changedPaths: context.changedPaths, championExists: champion != nil)
        report.triggers = TriggerEvaluator(settings: config.triggers, active: policy.triggers).evaluate(inputs)
        let fired = report.triggers.filter(\.fired)
        log.run(.triggers, "Deciding whether to retrain") {
            if fired.isEmpty { return (.passed, "no trigger fired") }
            return (.passed, "fired: " + fired.map { "\($0.name) (\($0.evidence))" }.joined(separator: "; "))
        }
        return !fired.isEmpty
    }

    /// Trains the candidate through the train stage's use case, on the data `data.train_on`
    /// names (assembled under `.sluice/work/`, so an identical run hits the run cache), and
    /// checks that data's hygiene (the hygiene stage). The hygiene checks read the training
    /// data and the holdout and nothing of the model, so they run beside training, with
    /// their log held back and added after training's: the log, the records and a failure
    /// are those of running them one after the other (training's failure first; hygiene
    /// then counts as not run). After the checks, the same thread compresses the image's
    /// runtime layer into the run cache and unpacks it for the smoke test
    /// (`prepareRuntimeLayer`), which needs no model either.
    func trainBesideHygiene(current: String) throws -> (TrainResult, HygieneSummary) {
        guard config.train != nil else {
            throw Failure.usage("a trigger fired but \(file.path) has no train: section")
        }
        let held = log.held()
        var hygiene: Result<HygieneSummary, Error>?
        let trained = try log.produce(TrainStage.stage, "Training the candidate") {
            var flags = TrainFlags()
            flags.noCache = options.noCache
            flags.log = directory.file("train.log")
            if let trainOn = trainingInputs {
                let files = try trainOn.map { input -> String in
                    let path = input == .reference ? file.resolve(config.data.reference) : current
                    guard !Self.isProfile(path) else { throw Failure.usage("data.train_on names \(input.rawValue), which is a profile; training needs rows") }
                    return path
                }
                let assembled = assembledTrainingData
                try FileManager.default.createDirectory(atPath: (assembled as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                let label = try sources.labelColumn()
                let assembly = try TrainingData.concatenate(files, label: label, missingValues: try sources.trainingSchema()?.missingValues ?? [""], into: assembled)
                let leftOut = assembly.unlabelled > 0 ? "; \(assembly.unlabelled) rows without a label in '\(label)' left out" : ""
                log.note("training data: \(assembly.rows) rows from \(trainOn.map(\.rawValue).joined(separator: " + "))\(leftOut)")
                flags.data = assembled
            }
            let settings = try TrainSettings.resolve(flags, sources)
            let result: TrainResult
            let prepared: UnpackedLayer?
            (result, (hygiene, prepared)) = try SideBySide.run({ try TrainStage.run(settings) }, { () -> (Result<HygieneSummary, Error>, UnpackedLayer?) in
                let checked = Result { try hygieneStage(log: held) }
                guard case .success = checked else { return (checked, nil) }
                return (checked, prepareRuntimeLayer())
            })
            runtimeRoot = prepared
            report.lineage.parameters.merge(settings.plan.parameters) { _, new in new }
            return (result, .passed, result.cached ? "cached, skipped (key \(result.cacheKey.prefix(12)))" : String(format: "trained in %.1fs", result.seconds))
        }
        log.replay(held)
        let summary = try hygiene!.get()
        report.hygiene = summary
        return (trained, summary)
    }

    /// What a retrain learns from: `data.train_on`, else `train.data`, else both data sets.
    var trainingInputs: [DataSection.TrainingInput]? {
        config.data.trainOn ?? (config.train?.data == nil ? [.reference, .current] : nil)
    }

    /// Where the run assembles the training data from `trainingInputs`.
    var assembledTrainingData: String { directory.workFile("train.csv") }

    /// Checks the data the candidate was trained on for features that leak the label, and
    /// the holdout for training rows; the findings go to the report (by the caller: this
    /// runs beside training) and the check gates. `log`: a held one (`StageLog.held`).
    private func hygieneStage(log: StageLog) throws -> HygieneSummary {
        try log.produce(HygieneStage.stage, "Checking the training data for leakage and the holdout for training rows") {
            var flags = HygieneFlags()
            let inputs = trainingInputs
            if inputs != nil { flags.data = assembledTrainingData }
            var summary = try HygieneStage.run(try HygieneSettings.resolve(flags, sources))
            // Reports name the data the user gave, not the run's working copy.
            if let inputs { summary.trainingData = inputs.map { $0 == .reference ? config.data.reference : "\(config.data.current) (valid rows)" }.joined(separator: " + ") }
            return (summary, .passed, HygieneStage.message(summary, leakageGated: config.gates.contains { $0.check == .leakage }))
        }
    }

    /// Predicts with candidate and champion on the same holdout and compares them.
    func evaluateStage(trained: TrainResult, champion: Champion?) throws -> EvaluationSummary {
        guard let holdoutName = config.evaluate.holdout ?? config.data.split.map({ "the rows held out of \(config.data.reference) (\(Int(($0.holdout * 100).rounded()))%)" }) else {
            throw Failure.usage("evaluate.holdout is not set in \(file.path): candidate and champion need a labelled holdout")
        }
        return try log.produce(EvaluateStage.stage, "Evaluating candidate and champion on \(holdoutName)") {
            var flags = EvaluateFlags()
            flags.model = trained.modelPath
            flags.championModel = champion?.model
            flags.predictionsDirectory = directory.workFile("predictions")
            let summary = try EvaluateStage.run(try EvaluateSettings.resolve(flags, sources))
            report.evaluation = summary
            // The model carries its own metrics, so a later run can measure its decay.
            let metrics = Dictionary(summary.metrics.map { ($0.name, $0.candidate) }, uniquingKeysWith: { a, _ in a })
            try AtomicFile.write(try JSONOutput.string(metrics), to: (trained.outputDirectory as NSString).appendingPathComponent(Self.metricsFile))
            let better = summary.metrics.filter { $0.verdict == .better }.count
            let worse = summary.metrics.filter { $0.verdict == .worse }.count
            return (summary, .passed, summary.championAvailable ? "\(summary.metrics.count) metrics: \(better) better, \(worse) worse than the champion" : "\(summary.metrics.count) metrics; no champion to compare with")
        }
    }

    /// Runs the model tests and built-in behavioural checks.
    func testsStage(trained: TrainResult) throws -> [TestCaseResult] {
        guard config.tests != nil else {
            log.skip(.tests, because: "no tests: section")
            return []
        }
        return try log.produce(TestsStage.stage, "Running model tests") {
            var flags = TestsFlags()
            flags.model = trained.modelPath
            flags.logDirectory = directory.file("tests")
            let results = try TestsStage.run(try TestsSettings.resolve(flags, sources))
            report.tests = results
            let failed = results.filter { $0.status == .failed || $0.status == .error }
            return (results, failed.isEmpty ? .passed : .failed, "\(results.count - failed.count) of \(results.count) passed\(failed.isEmpty ? "" : "; failed: " + failed.map(\.name).joined(separator: ", "))")
        }
    }

    /// Applies the quality gates; returns whether the candidate passed (the `GateReport`'s
    /// verdict). A gate that cannot be judged (an unknown metric) is a configuration error.
    func gatesStage(evaluation: EvaluationSummary, tests: [TestCaseResult], hygiene: HygieneSummary) throws -> Bool {
        return try log.produce(GatesStage.stage, "Applying \(config.gates.count) quality gates") {
            let decided = try GatesStage.run(try GatesSettings.resolve(evaluation: evaluation, tests: tests, hygiene: hygiene, sources))
            report.gates = decided.gates
            let failed = decided.gates.filter { $0.status == .failed }
            let notApplicable = decided.gates.filter { $0.status == .notApplicable }.count
            if decided.passed {
                return (true, .passed, "\(decided.gates.count - notApplicable) passed\(notApplicable > 0 ? ", \(notApplicable) not applicable (no champion)" : "")")
            }
            let reasons = failed.map { "\($0.name): \($0.detail)" } + (failed.isEmpty ? ["a model test failed"] : [])
            return (false, .failed, reasons.joined(separator: "; "))
        }
    }

    /// The file the model directory carries its holdout metrics in.
    static let metricsFile = "metrics.json"

    /// The metrics the image's packaging recorded in its manifest annotations, if any.
    static func trainingMetrics(ofImage digest: String, in reference: Reference, registries: Registries) throws -> [String: Double]? {
        let data = try registries.client(reference.registry).manifest(reference.repository, digest).data
        guard let manifest = try? JSONDecoder().decode(Manifest.self, from: data),
              let json = manifest.annotations?[Provenance.modelPrefix + "metrics"] else { return nil }
        return try? JSONOutput.decoder().decode([String: Double].self, from: Data(json.utf8))
    }

    /// Metrics written beside a model when it was evaluated as a candidate, if any.
    static func trainingMetrics(besideModel model: String) -> [String: Double]? {
        let directory = FileManager.default.fileExists(atPath: model, isDirectory: nil) && !model.hasSuffix(".json") ? model : (model as NSString).deletingLastPathComponent
        guard let data = FileManager.default.contents(atPath: (directory as NSString).appendingPathComponent(metricsFile)) else { return nil }
        return try? JSONOutput.decoder().decode([String: Double].self, from: data)
    }

    static func header(of path: String) throws -> [String] {
        try TableReader(TableSource(path: path)).header
    }
}
