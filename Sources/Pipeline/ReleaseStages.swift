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
        guard var spec = config.package else { return skipRelease("no package: section") }
        let registries = try sharedRegistries()
        let layout = spec.layout ?? directory.file("image")
        let packaged = try log.produce(.package, "Packaging the candidate as an OCI image") {
            if !(spec.layers ?? []).contains(where: { $0.name == "model" }) {
                // The trained model is the layer a retrain changes; it always goes last.
                spec.layers = (spec.layers ?? []) + [LayerSpec(name: "model", files: [FileMapping(source: trained.outputDirectory + "/", target: "/model")])]
            }
            spec.layout = layout
            var provenance = Provenance.fromEnvironment(options.environment)
            provenance.revision = provenance.revision ?? context.facts.commit
            provenance.runID = directory.runId
            provenance.metrics = Dictionary(evaluation.metrics.map { ($0.name, $0.candidate) }, uniquingKeysWith: { a, _ in a })
            provenance.dataHashes = report.lineage.dataHashes.reduce(into: [:]) { $0[($1.key as NSString).lastPathComponent] = $1.value }
            let image = try ImagePackager.package(spec, directory: file.directory, provenance: provenance, registries: registries, layerCache: try sources.layerCache())
            report.image = image.summary
            let sizes = image.summary.layers.map { "\($0.name) \(ByteCountFormatter.string(fromByteCount: Int64($0.size), countStyle: .binary))" }
            return (image, .passed, "\(image.summary.digest) in \(relative(layout)) (\(sizes.joined(separator: ", ")))")
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
        guard let target = spec.push else {
            log.skip(.push, because: "no package.push reference")
            log.skip(.promote, because: "only a pushed image can be promoted")
            return
        }
        let pushed = try log.produce(.push, "Pushing to \(target)") {
            let reference = try Reference(parsing: target)
            let summary = try ImagePackager.push(packaged, to: reference, registries: registries)
            report.image = summary
            let uploaded = summary.layers.filter(\.uploaded).map(\.name)
            let pushedReference = Reference(registry: reference.registry, repository: reference.repository, digest: try Digest(summary.digest))
            return (pushedReference, .passed, "\(summary.reference)@\(summary.digest); uploaded \(uploaded.isEmpty ? "no layers (all present)" : uploaded.joined(separator: ", "))")
        }
        guard policy.promote else { return log.skip(.promote, because: "promotion is off in \(context.mode.rawValue) pipelines") }
        try log.run(.promote, "Promoting to \(config.promote.tag)") {
            let summary = try Promotion.promote(pushed, tag: config.promote.tag, registries: registries)
            report.image?.promotedTag = summary.promotedTag ?? config.promote.tag
            return (.passed, "\(pushed.registry)/\(pushed.repository):\(config.promote.tag) -> \(summary.digest)")
        }
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
        let settings = try SmokeSettings.resolve(flags, sources)
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
    private func makeRegistries() throws -> Registries {
        var flags = RegistryFlags()
        flags.verbose = options.verbose
        flags.quiet = options.quiet
        let targets = try [config.package?.push, config.champion?.image].compactMap { $0 }.map { try Reference(parsing: $0).registry }
        return try RegistrySettings.resolve(flags, sources, targets: targets).registries()
    }
}
