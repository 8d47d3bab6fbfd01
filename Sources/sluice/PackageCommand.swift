import ArgumentParser
import Config
import Core
import Foundation
import OCI
import Packaging
import Pipeline
import ReportModel

/// `sluice package`: builds an OCI image of the model without a Docker daemon.
struct PackageCommand: SluiceCommand {
    static let configuration = CommandConfiguration(
        commandName: "package",
        abstract: "Build a reproducible, layered OCI image of a model; optionally push it.",
        discussion: """
        Layers are given least-changing first (dependencies, code, model), so a retrain
        re-uploads only the model layer. Settings come from the `package:` section of
        sluice.yml; flags win. The same inputs give the same digests (SOURCE_DATE_EPOCH sets
        the timestamps, default 1970-01-01).

        Examples:
          sluice package --base oci:base-layout --layer code=src:/app/src --layer model=model:/app/model \\
              --entrypoint '["python","-m","app"]' --push registry.example.com/team/churn:candidate
          sluice package --config sluice.yml --tarball image.tar

        Exit codes: 0 packaged (and pushed); 2 usage or configuration error (including a link
        that escapes a packaged directory); 3 runtime error (I/O, registry).
        """
    )

    @Option(help: "The configuration file whose `package:` section is read (default sluice.yml when present).")
    var config: String?

    @Option(help: "The base image: a registry reference, oci:DIR[:TAG], or scratch.")
    var base: String?

    @Option(help: "The platform to take from a multi-platform base (os/arch[/variant]).")
    var platform: String?

    @Option(name: .customLong("layer"), help: "NAME=SOURCE:TARGET[,SOURCE:TARGET...], repeatable, least-changing first. Replaces the file's layers.")
    var layers: [String] = []

    @Option(help: "Entrypoint, as a JSON array or space-separated words.")
    var entrypoint: String?

    @Option(help: "Command (arguments to the entrypoint), as a JSON array or space-separated words.")
    var cmd: String?

    @Option(name: .customLong("env"), help: "KEY=VALUE environment variable, repeatable.")
    var env: [String] = []

    @Option(help: "Working directory.")
    var workdir: String?

    @Option(help: "User (name or uid[:gid]).")
    var user: String?

    @Option(name: .customLong("port"), help: "Exposed port (8080 or 8080/tcp), repeatable.")
    var ports: [String] = []

    @Option(name: .customLong("label"), help: "KEY=VALUE config label, repeatable.")
    var labels: [String] = []

    @Option(name: .customLong("annotation"), help: "KEY=VALUE manifest annotation, repeatable.")
    var annotations: [String] = []

    @Option(help: "The OCI image layout directory to write (default .sluice/image).")
    var layout: String?

    @Option(help: "The tag inside the layout (default the push tag, else latest).")
    var tag: String?

    @Option(help: "Also write a `docker load` tarball here.")
    var tarball: String?

    @Option(help: "Push the image to this registry reference.")
    var push: String?

    @Flag(name: .customLong("copy-escaping-links"), help: "Package the targets of links that point outside a packaged directory instead of refusing.")
    var copyEscapingLinks = false

    @Flag(help: "Add the runtime layer (the sluice binary, its shared libraries, CA certificates, a non-root user) so the image runs `sluice serve --model /model` on port 8080.")
    var runtime = false

    @Option(help: "Where a push writes Kubernetes manifests for the pushed digest (default: deploy beside the layout).")
    var manifests: String?

    @Option(name: .customLong("compression-level"), help: "gzip level, 1 (fastest, default) to 9 (smallest); 0 stores uncompressed (for incompressible weights).")
    var compressionLevel: Int?

    @Option(help: "The source revision (default from CI: CI_COMMIT_SHA, GITHUB_SHA, GIT_COMMIT).")
    var revision: String?

    @Option(help: "The source URL (default from CI).")
    var source: String?

    @Option(name: .customLong("image-version"), help: "The version annotation (default CI_COMMIT_TAG).")
    var imageVersion: String?

    @Option(help: "The title annotation (default the CI project name).")
    var title: String?

    @Option(name: .customLong("run-id"), help: "The run that produced the model (default the CI pipeline id).")
    var runID: String?

    @Option(help: "A JSON file of metrics ({\"auc\": 0.91, ...}) recorded as the dev.sluice.model.metrics annotation.")
    var metrics: String?

    @Option(name: .customLong("data-hash"), help: "NAME=HASH of a training data set, repeatable.")
    var dataHashes: [String] = []

    @Option(help: "Output format.")
    var format: ResultFormat = .text

    @OptionGroup var registry: RegistryOptionGroup

    func execute() throws -> ExitStatus {
        let environment = ProcessInfo.processInfo.environment
        let (fileSpec, directory) = try loadConfig()
        let spec = fileSpec.overriding(with: try flagSpec(configDirectory: directory))
        let pushReference = try spec.push.map { try Reference(parsing: $0) }
        var provenance = Provenance.fromEnvironment(environment)
        if let revision { provenance.revision = revision }
        if let source { provenance.source = source }
        if let imageVersion { provenance.version = imageVersion }
        if let title { provenance.title = title }
        if let runID { provenance.runID = runID }
        provenance.dataHashes = try Self.pairs(dataHashes, flag: "--data-hash")
        if let metrics { provenance.metrics = try Self.readMetrics(metrics) }

        let sources = try SettingsSources.load(configPath: config)
        let registries = try registry.registries(target: pushReference?.registry, sources: sources)
        let packaged = try ImagePackager.package(spec, directory: directory, provenance: provenance, registries: registries, layerCache: try sources.layerCache())
        var summary = packaged.summary
        if let pushReference {
            summary = try ImagePackager.push(packaged, to: pushReference, registries: registries)
        }
        try print(Self.render(summary, format: format), terminator: "")
        return .success
    }

    /// The `package:` section and the directory its relative paths are relative to.
    private func loadConfig() throws -> (PackageSpec, String) {
        let cwd = FileManager.default.currentDirectoryPath
        let path = config ?? (FileManager.default.fileExists(atPath: "sluice.yml") ? "sluice.yml" : nil)
        guard let path else { return (PackageSpec(), cwd) }
        let file = try ConfigFile.load(path)
        return (try file.decodeIfPresent(PackageSpec.self, at: "package") ?? PackageSpec(), file.directory)
    }

    /// The flags as a spec. Their paths are relative to the working directory, so they are made
    /// absolute; a base layout keeps its name as written when that means the same (it is
    /// recorded in the image, where a build machine's path would spoil reproducibility).
    private func flagSpec(configDirectory: String) throws -> PackageSpec {
        let cwd = FileManager.default.currentDirectoryPath
        let absolute = { (path: String) in path.hasPrefix("/") ? path : (cwd as NSString).appendingPathComponent(path) }
        let parsedLayers = try layers.map { text -> LayerSpec in
            var layer = try LayerSpec(parsing: text)
            layer.files = layer.files.map { FileMapping(source: absolute($0.source), target: $0.target) }
            return layer
        }
        let sameDirectory = (configDirectory as NSString).standardizingPath == (cwd as NSString).standardizingPath
        return PackageSpec(base: base.map { $0.hasPrefix("oci:") && !sameDirectory ? "oci:" + absolute(String($0.dropFirst(4))) : $0 }, platform: platform,
                           layers: parsedLayers.isEmpty ? nil : parsedLayers,
                           entrypoint: try entrypoint.map(Self.words), cmd: try cmd.map(Self.words),
                           env: try Self.pairs(env, flag: "--env").nilIfEmpty, workdir: workdir, user: user, ports: ports.isEmpty ? nil : ports,
                           labels: try Self.pairs(labels, flag: "--label").nilIfEmpty, annotations: try Self.pairs(annotations, flag: "--annotation").nilIfEmpty,
                           layout: layout.map(absolute), tag: tag, tarball: tarball.map(absolute), push: push,
                           copyEscapingLinks: copyEscapingLinks ? true : nil, compressionLevel: compressionLevel, runtime: runtime ? true : nil, manifests: manifests.map(absolute))
    }

    /// A JSON array of strings, or words separated by spaces.
    static func words(_ text: String) throws -> [String] {
        if text.trimmingCharacters(in: .whitespaces).hasPrefix("[") {
            guard let words = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else {
                throw ValidationError("\(text): expected a JSON array of strings such as [\"python\", \"-m\", \"app\"]")
            }
            return words
        }
        return text.split(separator: " ").map(String.init)
    }

    static func pairs(_ items: [String], flag: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for item in items {
            guard let equals = item.firstIndex(of: "="), equals != item.startIndex else { throw ValidationError("\(flag) \(item): expected KEY=VALUE") }
            result[String(item[..<equals])] = String(item[item.index(after: equals)...])
        }
        return result
    }

    static func readMetrics(_ path: String) throws -> [String: Double] {
        guard let data = FileManager.default.contents(atPath: path) else { throw Failure.usage("cannot read the metrics file \(path)") }
        guard let metrics = try? JSONDecoder().decode([String: Double].self, from: data) else {
            throw Failure.usage("\(path): expected a JSON object of metric names to numbers")
        }
        return metrics
    }

    static func render(_ summary: ImageSummary, format: ResultFormat) throws -> String {
        switch format {
        case .json:
            return try JSONOutput.string(summary)
        case .text:
            var lines = ["image \(summary.reference)", "digest \(summary.digest)"]
            if let tag = summary.promotedTag { lines.append("promoted \(tag)") }
            for manifest in summary.manifests ?? [] { lines.append("manifest \(manifest)") }
            for layer in summary.layers {
                let state = summary.pushed ? (layer.uploaded ? " uploaded" : " already in registry") : ""
                lines.append("  \(layer.name.padding(toLength: 14, withPad: " ", startingAt: 0)) \(layer.digest.prefix(19))  \(String(format: "%10.1f", Double(layer.size) / 1_048_576)) MB\(state)")
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }
}

extension Dictionary {
    var nilIfEmpty: Self? { isEmpty ? nil : self }
}
