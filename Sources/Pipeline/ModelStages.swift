import Core
import Evaluation
import Foundation
import Gates
import OCI
import Packaging
import ReportModel
import Tabular
import Training

extension ContinuousTrainingRun {
    /// Finds the champion: a registry image's model layer, or a model path. No champion is
    /// the normal first run, not an error.
    func championStage() throws {
        if let image = config.champion?.image {
            try log.run("champion", "Pulling the champion model from \(image)") {
                let reference = try Reference(parsing: image)
                let registries = try sharedRegistries()
                guard try registries.client(reference.registry).manifestDigest(reference.repository, reference.identifier) != nil else {
                    return (.passed, "no image at \(image) yet: first run, comparisons with a champion are not applicable")
                }
                let target = directory.file("champion")
                let pulled = try ModelPull.pull(reference, layer: config.champion!.layer, into: target, registries: registries)
                state.championModel = (target as NSString).appendingPathComponent(config.champion!.modelFile)
                state.championSource = "\(reference.registry)/\(reference.repository)@\(pulled.imageDigest)"
                state.championAtTraining = try Self.trainingMetrics(ofImage: pulled.imageDigest, in: reference, registries: registries)
                    ?? Self.trainingMetrics(besideModel: state.championModel!)
                return (.passed, "champion \(state.championSource!)")
            }
        } else if let path = config.evaluate.champion?.model {
            let model = file.resolve(path)
            guard FileManager.default.fileExists(atPath: model) else {
                log.skip("champion", because: "no champion model at \(path) yet: first run")
                return
            }
            log.run("champion", "Using the champion model \(path)") {
                state.championModel = model
                state.championSource = path
                state.championAtTraining = Self.trainingMetrics(besideModel: model)
                return (.passed, "champion \(path)\(state.championAtTraining == nil ? "" : " (with the metrics of its own evaluation)")")
            }
        } else {
            log.skip("champion", because: "no champion configured (champion.image or evaluate.champion.model)")
        }
    }

    /// Accuracy decay: the champion evaluated on the current data's fresh labels.
    func decayStage() throws {
        guard let decay = config.triggers.accuracyDecay else { return log.skip("decay", because: "triggers.accuracy_decay is not configured") }
        guard let champion = state.championModel else { return log.skip("decay", because: "no champion to evaluate") }
        guard let current = state.currentData, !Self.isProfile(current) else { return log.skip("decay", because: "the current data is a profile, without labels") }
        guard try Self.header(of: current).contains(labelColumn) else {
            return log.skip("decay", because: "the current data has no \(labelColumn) column (no fresh labels)")
        }
        try log.run("decay", "Evaluating the champion on fresh labels") {
            let predictions = try Prediction.onHoldout(candidate: champion, champion: nil, holdout: current, plan: trainPlan, directory: directory.file("predictions/fresh")).candidate
            let summary = try Evaluator.evaluate(candidate: predictions, champion: nil, labels: current, options: evaluationOptions)
            state.championFresh = Dictionary(summary.metrics.map { ($0.name, $0.candidate) }, uniquingKeysWith: { a, _ in a })
            let value = state.championFresh?[decay.metric].map { String(format: "%.4f", $0) } ?? "not computed"
            return (.passed, "champion \(decay.metric) on \(summary.rowCount) freshly labelled rows: \(value)")
        }
    }

    /// Evaluates the triggers; returns whether any fired.
    func triggerStage() -> Bool {
        let inputs = TriggerInputs(mode: context.mode, forced: options.force, drift: report.drift, championFresh: state.championFresh, championAtTraining: state.championAtTraining, changedPaths: context.changedPaths, championExists: state.championModel != nil)
        report.triggers = TriggerEvaluator(settings: config.triggers, active: policy.triggers).evaluate(inputs)
        let fired = report.triggers.filter(\.fired)
        log.run("triggers", "Deciding whether to retrain") {
            if fired.isEmpty { return (.passed, "no trigger fired") }
            return (.passed, "fired: " + fired.map { "\($0.name) (\($0.evidence))" }.joined(separator: "; "))
        }
        return !fired.isEmpty
    }

    /// Trains the candidate, behind the run cache.
    func trainStage() throws {
        guard var section = config.train else {
            throw Failure.usage("a trigger fired but \(file.path) has no train: section")
        }
        try log.run("train", "Training the candidate") {
            let trainOn = config.data.trainOn ?? (section.data == nil ? [.reference, .current] : nil)
            if let trainOn {
                let files = try trainOn.map { input -> String in
                    let path = input == .reference ? file.resolve(config.data.reference) : (state.currentData ?? file.resolve(config.data.current))
                    guard !Self.isProfile(path) else { throw Failure.usage("data.train_on names \(input.rawValue), which is a profile; training needs rows") }
                    return path
                }
                let assembled = directory.file("train.csv")
                let rows = try TrainingData.concatenate(files, into: assembled)
                log.note("training data: \(rows) rows from \(trainOn.map(\.rawValue).joined(separator: " + "))")
                section.data = assembled
            }
            var plan = try section.plan(resolve: file.resolve)
            plan.logPath = directory.file("train.log")
            let result = try Trainer.train(plan, useCache: !options.noCache)
            state.modelPath = result.modelPath
            state.modelDirectory = result.outputDirectory
            state.trained = true
            report.lineage.parameters.merge(plan.parameters) { _, new in new }
            return (.passed, result.cached ? "cached, skipped (key \(result.cacheKey.prefix(12)))" : String(format: "trained in %.1fs", result.seconds))
        }
    }

    /// Predicts with candidate and champion on the same holdout and compares them.
    func evaluateStage() throws {
        guard let holdoutName = config.evaluate.holdout else {
            throw Failure.usage("evaluate.holdout is not set in \(file.path): candidate and champion need a labelled holdout")
        }
        try log.run("evaluate", "Evaluating candidate and champion on \(holdoutName)") {
            let holdout = file.resolve(holdoutName)
            let made = try Prediction.onHoldout(candidate: state.modelPath!, champion: state.championModel, holdout: holdout, plan: trainPlan, directory: directory.file("predictions"))
            state.candidatePredictions = made.candidate
            let summary = try Evaluator.evaluate(candidate: made.candidate, champion: made.champion, labels: holdout, options: evaluationOptions)
            report.evaluation = summary
            // The model carries its own metrics, so a later run can measure its decay.
            let metrics = Dictionary(summary.metrics.map { ($0.name, $0.candidate) }, uniquingKeysWith: { a, _ in a })
            try AtomicFile.write(try JSONOutput.string(metrics), to: (state.modelDirectory! as NSString).appendingPathComponent(Self.metricsFile))
            let better = summary.metrics.filter { $0.verdict == .better }.count
            let worse = summary.metrics.filter { $0.verdict == .worse }.count
            return (.passed, summary.championAvailable ? "\(summary.metrics.count) metrics: \(better) better, \(worse) worse than the champion" : "\(summary.metrics.count) metrics; no champion to compare with")
        }
    }

    /// Runs the model tests and built-in behavioural checks.
    func testsStage() throws {
        guard let tests = config.tests else { return log.skip("tests", because: "no tests: section") }
        try log.run("tests", "Running model tests") {
            let predictor = try ModelWiring.predictor(model: state.modelPath, config: file)
            let checkData = tests.data.map(file.resolve) ?? config.evaluate.holdout.map(file.resolve)
            let results = try ModelTests.run(tests, predictor: predictor, checkData: checkData, resolve: file.resolve, logDirectory: directory.file("tests"))
            report.tests = results
            let failed = results.filter { $0.status == .failed || $0.status == .error }
            return (failed.isEmpty ? .passed : .failed, "\(results.count - failed.count) of \(results.count) passed\(failed.isEmpty ? "" : "; failed: " + failed.map(\.name).joined(separator: ", "))")
        }
    }

    /// Applies the quality gates; returns whether all held.
    func gatesStage() -> Bool {
        var passed = true
        log.run("gates", "Applying \(config.gates.count) quality gates") {
            do {
                report.gates = try GateEvaluator.apply(config.gates, evaluation: report.evaluation, tests: report.tests)
            } catch {
                passed = false
                return (.failed, "\(error)")
            }
            let failed = report.gates.filter { $0.status == .failed }
            passed = failed.isEmpty
            let notApplicable = report.gates.filter { $0.status == .notApplicable }.count
            if failed.isEmpty {
                return (.passed, "\(report.gates.count - notApplicable) passed\(notApplicable > 0 ? ", \(notApplicable) not applicable (no champion)" : "")")
            }
            return (.failed, failed.map { "\($0.name): \($0.detail)" }.joined(separator: "; "))
        }
        // A test that failed already said no; the gate table shows it again.
        return passed && !log.records.contains { $0.name == "tests" && $0.status == .failed }
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

    /// The training plan as configured, for predictions through `train.predict`.
    var trainPlan: TrainPlan? {
        guard var section = config.train else { return nil }
        if section.data == nil { section.data = config.data.reference }
        return try? section.plan(resolve: file.resolve)
    }

    var evaluationOptions: EvaluationOptions {
        let fallback: EvaluationTask = config.train?.builtin == .linearRegression ? .regression : .binary
        var options = config.evaluate.options(task: fallback)
        if config.evaluate.labelColumn == nil { options.labelColumn = labelColumn }
        return options
    }

    static func header(of path: String) throws -> [String] {
        try TableReader(TableSource(path: path)).header
    }
}
