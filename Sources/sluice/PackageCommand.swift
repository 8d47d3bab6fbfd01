import ArgumentParser
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

    @Option(help: "A trained model directory, packaged last as the layer `model` at /model (where --runtime serves it from), in place of package.layers' `model` layer.")
    var model: String?

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

    @Option(help: "The source revision (default from CI: CI_COMMIT_SHA, GITHUB_SHA, GIT_COMMIT; else the checkout's HEAD).")
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
        let sources = try SettingsSources.load(configPath: config)
        let settings = try PackageSettings.resolve(try flags(), sources, registries: { target in
            try registry.registries(target: target?.registry, sources: sources)
        })
        let packaged = try PackageStage.run(settings)
        var summary = packaged.summary
        if let target = settings.push {
            summary = try PushStage.run(PushSettings(image: packaged, target: target, registries: settings.registries)).summary
        }
        try print(Self.render(summary, format: format), terminator: "")
        return .success
    }

    /// The flags, typed; paths as given (the settings make them absolute).
    private func flags() throws -> PackageFlags {
        var flags = PackageFlags()
        flags.spec = PackageSpec(base: base, platform: platform, layers: try layers.isEmpty ? nil : layers.map(LayerSpec.init(parsing:)),
                                 entrypoint: try entrypoint.map(Self.words), cmd: try cmd.map(Self.words),
                                 env: try Self.pairs(env, flag: "--env").nilIfEmpty, workdir: workdir, user: user, ports: ports.isEmpty ? nil : ports,
                                 labels: try Self.pairs(labels, flag: "--label").nilIfEmpty, annotations: try Self.pairs(annotations, flag: "--annotation").nilIfEmpty,
                                 layout: layout, tag: tag, tarball: tarball, push: push,
                                 copyEscapingLinks: copyEscapingLinks ? true : nil, compressionLevel: compressionLevel, runtime: runtime ? true : nil, manifests: manifests)
        flags.model = model
        flags.revision = revision
        flags.source = source
        flags.version = imageVersion
        flags.title = title
        flags.runID = runID
        flags.metrics = try metrics.map(Self.readMetrics)
        flags.dataHashes = try Self.pairs(dataHashes, flag: "--data-hash").nilIfEmpty
        return flags
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
