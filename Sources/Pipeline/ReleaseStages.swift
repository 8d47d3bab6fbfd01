import Core
import Foundation
import OCI
import Packaging
import ReportModel
import Training

extension ContinuousTrainingRun {
    /// Packages a candidate that passed its gates, then pushes and promotes it as the mode
    /// allows. The champion tag moves only after the push completed and was verified.
    func packageStage(trained: TrainResult, evaluation: EvaluationSummary) throws {
        guard policy.package else { return skipRelease("packaging is off in \(context.mode.rawValue) pipelines") }
        guard config.package != nil else { return skipRelease("no package: section") }
        var flags = packageFlags()
        // A model layer of the user's own (mapped elsewhere) stays as written.
        if !(config.package?.layers ?? []).contains(where: { $0.name == "model" }) { flags.model = trained.outputDirectory }
        flags.metrics = Dictionary(evaluation.metrics.map { ($0.name, $0.candidate) }, uniquingKeysWith: { a, _ in a })
        try recordDataHashes()
        flags.dataHashes = report.lineage.dataHashes.reduce(into: [:]) { $0[($1.key as NSString).lastPathComponent] = $1.value }
        let settings = try PackageSettings.resolve(flags, sources, registries: { _ in try sharedRegistries() })
        let layout = settings.layout
        let packaged = try log.produce(.package, "Packaging the candidate as an OCI image") {
            let image = try PackageStage.run(settings)
            report.image = image.summary
            return (image, .passed, PackageStage.line(image, layout: relative(layout)))
        }
        guard try smokeStage(packaged, layout: layout, trained: trained) else {
            log.skip(.push, because: "the image failed its smoke test")
            log.skip(.promote, because: "the image failed its smoke test")
            return
        }
        guard policy.push else {
            log.skip(.push, because: "pushing is off in \(context.mode.rawValue) pipelines")
            log.skip(.promote, because: "only a pushed image can be promoted")
            return
        }
        guard let target = settings.push else {
            log.skip(.push, because: "no package.push reference")
            log.skip(.promote, because: "only a pushed image can be promoted")
            return
        }
        let pushed = try log.produce(.push, "Pushing to \(target)") {
            let pushed = try PushStage.run(PushSettings(image: packaged, target: target, registries: settings.registries))
            report.image = pushed.summary
            return (pushed, .passed, PushStage.line(pushed))
        }
        guard policy.promote else { return log.skip(.promote, because: "promotion is off in \(context.mode.rawValue) pipelines") }
        let promotion = try PromoteSettings.resolve(PromoteFlags(image: pushed.reference), sources, registries: { _ in settings.registries })
        try log.run(.promote, "Promoting to \(promotion.tag)") {
            let summary = try PromoteStage.run(promotion)
            report.image?.promotedTag = summary.promotedTag
            return (.passed, "\(pushed.reference.registry)/\(pushed.reference.repository):\(promotion.tag) -> \(summary.digest)")
        }
    }

    /// Compresses the candidate image's runtime layer into the run cache ahead of the
    /// package stage (`PackageStage.prepareRuntimeLayer`), when the run packages one; no
    /// image is written. A failure here is left for the package stage to meet in its turn.
    /// The settings are the package stage's own (`PackageSettings.resolve` with the run's
    /// flags, before the model and its metrics exist), so the layer is the one it will want.
    /// When the smoke stage may run, the layer is also unpacked into `.sluice/work/` for its
    /// bundle (returned; the smoke stage's bundle takes it over, and `execute` removes it
    /// when nothing did).
    /// This runs beside training: registry access of its own, not the run's shared one.
    func prepareRuntimeLayer() -> UnpackedLayer? {
        guard policy.package, config.package?.runtime == true else { return nil }
        guard let settings = try? PackageSettings.resolve(packageFlags(), sources, registries: { _ in try makeRegistries() }) else { return nil }
        // Not for a smoke stage that is off or has no runtime (unknown yet: unpacked).
        let smoke = (try? SmokeSettings.resolve(SmokeFlags(), sources)).map { $0.mode != .off && (try? $0.runtime.get()) != nil } ?? true
        return (try? PackageStage.prepareRuntimeLayer(settings, scratch: directory.workFile("runtime-layer"),
                                                      unpackInto: smoke ? directory.workFile("runtime-rootfs") : nil)) ?? nil
    }

    /// The package flags every run passes: its id, and its image beside its report unless
    /// `package.layout` says otherwise.
    private func packageFlags() -> PackageFlags {
        var flags = PackageFlags()
        if config.package?.layout == nil { flags.spec.layout = directory.file("image") }
        flags.runID = directory.runId
        return flags
    }

    private func skipRelease(_ reason: String) {
        for stage in [Stage.package, .smoke, .push, .promote] { log.skip(stage, because: reason) }
    }

    /// Starts the packaged image and asks it for the first holdout rows; false when it
    /// failed, and then nothing may be pushed or promoted.
    private func smokeStage(_ packaged: PackagedImage, layout: String, trained: TrainResult) throws -> Bool {
        var flags = SmokeFlags()
        flags.image = "\(layout):\(packaged.tag)"
        flags.predictions = (directory.workFile("predictions") as NSString).appendingPathComponent("candidate.csv")
        flags.workDirectory = directory.workFile("smoke")
        var settings = try SmokeSettings.resolve(flags, sources)
        // Its bundle takes the directory over; whatever is left, `execute` removes.
        settings.bottomLayer = runtimeRoot
        guard settings.mode != .off else {
            log.skip(.smoke, because: "package.smoke is off")
            return true
        }
        if case .failure(let unavailable) = settings.runtime, settings.mode == .auto {
            report.image?.smoke = try SmokeStage.run(settings)
            log.skip(.smoke, because: "no OCI runtime (\(unavailable.reason)); package.smoke: required makes that an error")
            return true
        }
        let summary = try log.produce(.smoke, "Starting the image with runc and asking it for predictions") {
            let summary = try SmokeStage.run(settings)
            report.image?.smoke = summary
            return (summary, summary.outcome == .passed ? .passed : .failed, SmokeStage.line(summary))
        }
        return summary.outcome == .passed
    }

    /// The run's one registry access, made on first use, so the champion pull and the push
    /// share clients and tokens.
    func sharedRegistries() throws -> Registries {
        if let registries { return registries }
        let made = try makeRegistries()
        registries = made
        return made
    }

    /// Registry access as every registry command resolves it, with the `registry:` section's
    /// settings and explicit credentials (`SLUICE_REGISTRY_*`) for the push and champion registries.
    func makeRegistries() throws -> Registries {
        var flags = RegistryFlags()
        flags.verbose = options.verbose
        flags.quiet = options.quiet
        let targets = try [config.package?.push, config.champion?.image].compactMap { $0 }.map { try Reference(parsing: $0).registry }
        return try RegistrySettings.resolve(flags, sources, targets: targets).registries()
    }
}
