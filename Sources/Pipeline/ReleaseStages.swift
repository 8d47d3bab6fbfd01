import Core
import Foundation
import HTTP
import OCI
import Packaging
import ReportModel

extension ContinuousTrainingRun {
    /// Packages a candidate that passed its gates, then pushes and promotes it as the mode
    /// allows. The champion tag moves only after the push completed and was verified.
    func packageStage() throws {
        guard policy.package else { return skipRelease("packaging is off in \(context.mode.rawValue) pipelines") }
        guard var spec = config.package else { return skipRelease("no package: section") }
        let registries = try sharedRegistries()
        var packaged: PackagedImage?
        try log.run("package", "Packaging the candidate as an OCI image") {
            if !(spec.layers ?? []).contains(where: { $0.name == "model" }) {
                // The trained model is the layer a retrain changes; it always goes last.
                spec.layers = (spec.layers ?? []) + [LayerSpec(name: "model", files: [FileMapping(source: state.modelDirectory! + "/", target: "/model")])]
            }
            if spec.layout == nil { spec.layout = directory.file("image") }
            var provenance = Provenance.fromEnvironment(options.environment)
            provenance.revision = provenance.revision ?? context.facts.commit
            provenance.runID = directory.runId
            provenance.metrics = Dictionary(report.evaluation?.metrics.map { ($0.name, $0.candidate) } ?? [], uniquingKeysWith: { a, _ in a })
            provenance.dataHashes = report.lineage.dataHashes.reduce(into: [:]) { $0[($1.key as NSString).lastPathComponent] = $1.value }
            let image = try ImagePackager.package(spec, directory: file.directory, provenance: provenance, registries: registries)
            packaged = image
            report.image = image.summary
            let sizes = image.summary.layers.map { "\($0.name) \(ByteCountFormatter.string(fromByteCount: Int64($0.size), countStyle: .binary))" }
            return (.passed, "\(image.summary.digest) in \(relative(spec.layout!)) (\(sizes.joined(separator: ", ")))")
        }
        guard try smokeStage(packaged!, mode: spec.smoke ?? .auto) else {
            log.skip("push", because: "the image failed its smoke test")
            log.skip("promote", because: "the image failed its smoke test")
            return
        }
        guard policy.push else {
            log.skip("push", because: "pushing is off in \(context.mode.rawValue) pipelines")
            log.skip("promote", because: "only a pushed image can be promoted")
            return
        }
        guard let target = spec.push else {
            log.skip("push", because: "no package.push reference")
            log.skip("promote", because: "only a pushed image can be promoted")
            return
        }
        var pushedReference: Reference?
        try log.run("push", "Pushing to \(target)") {
            let reference = try Reference(parsing: target)
            let summary = try ImagePackager.push(packaged!, to: reference, registries: registries)
            report.image = summary
            pushedReference = Reference(registry: reference.registry, repository: reference.repository, digest: try Digest(summary.digest))
            let uploaded = summary.layers.filter(\.uploaded).map(\.name)
            return (.passed, "\(summary.reference)@\(summary.digest); uploaded \(uploaded.isEmpty ? "no layers (all present)" : uploaded.joined(separator: ", "))")
        }
        guard policy.promote else { return log.skip("promote", because: "promotion is off in \(context.mode.rawValue) pipelines") }
        try log.run("promote", "Promoting to \(config.promote.tag)") {
            let summary = try Promotion.promote(pushedReference!, tag: config.promote.tag, registries: registries)
            report.image?.promotedTag = summary.promotedTag ?? config.promote.tag
            return (.passed, "\(pushedReference!.registry)/\(pushedReference!.repository):\(config.promote.tag) -> \(summary.digest)")
        }
    }

    private func skipRelease(_ reason: String) {
        for stage in ["package", "push", "promote"] { log.skip(stage, because: reason) }
    }

    /// The run's one registry access, made on first use, so the champion pull and the push
    /// share clients and tokens.
    func sharedRegistries() throws -> Registries {
        if let registries { return registries }
        let made = try makeRegistries()
        registries = made
        return made
    }

    /// Registry access: credentials from `SLUICE_REGISTRY_USER`/`SLUICE_REGISTRY_PASSWORD`
    /// for the push and champion registries, GitLab's `CI_REGISTRY_*`, or `~/.docker/config.json`.
    private func makeRegistries() throws -> Registries {
        var registryOptions = RegistryClient.Options()
        var explicit: [String: Credential] = [:]
        if let user = options.environment["SLUICE_REGISTRY_USER"], let password = options.environment["SLUICE_REGISTRY_PASSWORD"] {
            for name in [config.package?.push, config.champion?.image].compactMap({ $0 }) {
                explicit[try Reference(parsing: name).registry] = Credential(username: user, password: password)
            }
        }
        registryOptions.credentials = CredentialStore(explicit: explicit, environment: options.environment)
        registryOptions.insecureRegistries = Set(config.registry.insecure)
        var http = HTTPClient.Configuration()
        http.caBundle = config.registry.caBundle.map(file.resolve)
        if options.verbose { http.trace = { Diagnostics.line("http: \($0)") } }
        registryOptions.http = HTTPClient(configuration: http)
        registryOptions.progress = ProgressReporter.automatic(quiet: options.quiet)
        let cache = ((options.environment["SLUICE_CACHE_DIR"] ?? file.resolve(".sluice/cache")) as NSString).appendingPathComponent("oci")
        return try Registries(options: registryOptions, parallel: config.registry.parallel, cacheDirectory: cache)
    }
}
