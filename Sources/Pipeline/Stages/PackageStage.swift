import Core
import Foundation
import Git
import OCI
import Packaging
import ReportModel

/// The flags of `sluice package`, or what `sluice run` passes in their place (the trained
/// model, the run's layout, the run's id, metrics and data hashes).
public struct PackageFlags {
    /// Settings given as flags; each wins over the `package:` section's. Paths are as typed,
    /// relative to the working directory.
    public var spec = PackageSpec()
    /// A trained model directory, packaged last as the layer `model` at `/model` (where the
    /// runtime layer's `sluice serve` looks), in place of a `model` layer of the `package:`
    /// section; a `model` layer among the flags' layers is a usage error.
    public var model: String?
    /// Annotations given as flags; each wins over what the CI's variables say.
    public var revision: String?
    public var source: String?
    public var version: String?
    public var title: String?
    public var runID: String?
    public var metrics: [String: Double]?
    public var dataHashes: [String: String]?

    public init() {}
}

/// The resolved settings of the package stage.
public struct PackageSettings {
    /// The `package:` section with the flags put over it, the model layer last.
    public var spec: PackageSpec
    /// The OCI layout written: `--layout`, else `package.layout`, else `.sluice/image`.
    public var layout: String
    /// What the spec's relative paths are relative to: the configuration file's directory,
    /// else the working directory.
    public var directory: String
    public var provenance: Provenance
    /// Where the image is pushed, when it is.
    public var push: Reference?
    /// The run cache's compressed runtime layers.
    public var layerCache: LayerCache
    /// Registry access for the base image and the push.
    public var registries: Registries

    /// Flags, then the `package:` section, then the CI's variables and facts, then defaults.
    /// `registries` makes the registry access for the push target (nil when nothing is pushed),
    /// so explicit credentials go to that registry only.
    public static func resolve(_ flags: PackageFlags, _ sources: SettingsSources, registries: (Reference?) throws -> Registries) throws -> PackageSettings {
        let directory = sources.file?.directory ?? sources.workingDirectory
        let given = absolute(flags.spec, sources, configDirectory: directory)
        var spec = (try sources.section(PackageSpec.self, "package") ?? PackageSpec()).overriding(with: given)
        if let model = flags.model {
            guard !(given.layers ?? []).contains(where: { $0.name == "model" }) else {
                throw Failure.usage("--model \(model) and --layer model=...: give the model layer one way")
            }
            // The trained model is the layer a retrain changes; it always goes last.
            let source = sources.absolutePath(model)
            let layer = LayerSpec(name: "model", files: [FileMapping(source: source.hasSuffix("/") ? source : source + "/", target: "/model")])
            spec.layers = (spec.layers ?? []).filter { $0.name != "model" } + [layer]
        }
        let layout = spec.layout.map(sources.configPath) ?? (sources.sluiceDirectory as NSString).appendingPathComponent("image")
        spec.layout = layout
        let push = try spec.push.map { try Reference(parsing: $0) }
        return PackageSettings(spec: spec, layout: layout, directory: directory, provenance: provenance(flags, sources, directory: directory), push: push,
                               layerCache: try sources.layerCache(), registries: try registries(push))
    }

    /// The CI's variables with the flags put over them; a revision the variables lack is the
    /// commit the CI's facts name, else the checkout's HEAD.
    private static func provenance(_ flags: PackageFlags, _ sources: SettingsSources, directory: String) -> Provenance {
        var provenance = Provenance.fromEnvironment(sources.environment)
        provenance.revision = flags.revision ?? provenance.revision ?? sources.facts.commit ?? (try? Repository(discoveringFrom: directory).head().commit)
        if let source = flags.source { provenance.source = source }
        if let version = flags.version { provenance.version = version }
        if let title = flags.title { provenance.title = title }
        if let runID = flags.runID { provenance.runID = runID }
        if let metrics = flags.metrics { provenance.metrics = metrics }
        if let dataHashes = flags.dataHashes { provenance.dataHashes = dataHashes }
        return provenance
    }

    /// The flags' paths made absolute, since the spec resolves relative paths against the
    /// configuration's directory. A base layout keeps its name as written when that means the
    /// same (it is recorded in the image, where a build machine's path would spoil
    /// reproducibility).
    private static func absolute(_ flags: PackageSpec, _ sources: SettingsSources, configDirectory: String) -> PackageSpec {
        var spec = flags
        let sameDirectory = (configDirectory as NSString).standardizingPath == (sources.workingDirectory as NSString).standardizingPath
        if let base = spec.base, base.hasPrefix("oci:"), !sameDirectory { spec.base = "oci:" + sources.absolutePath(String(base.dropFirst(4))) }
        spec.layers = spec.layers?.map { layer in
            LayerSpec(name: layer.name, files: layer.files.map { FileMapping(source: sources.absolutePath($0.source), target: $0.target) })
        }
        spec.layout = spec.layout.map(sources.absolutePath)
        spec.tarball = spec.tarball.map(sources.absolutePath)
        spec.manifests = spec.manifests.map(sources.absolutePath)
        return spec
    }
}

/// Builds the image into its OCI layout (and a `docker load` tarball when asked), without a
/// Docker daemon. `sluice package` and the run's package stage both call this.
public enum PackageStage: StageUseCase {
    public static let stage = Stage.package

    public static func run(_ settings: PackageSettings) throws -> PackagedImage {
        try ImagePackager.package(settings.spec, directory: settings.directory, provenance: settings.provenance,
                                  registries: settings.registries, layerCache: settings.layerCache)
    }

    /// The one-line account of a packaged image, for the stage line.
    public static func line(_ image: PackagedImage, layout: String) -> String {
        let sizes = image.summary.layers.map { "\($0.name) \(ByteCountFormatter.string(fromByteCount: Int64($0.size), countStyle: .binary))" }
        return "\(image.summary.digest) in \(layout) (\(sizes.joined(separator: ", ")))"
    }
}

extension PackageStage {
    /// Compresses the runtime layer of the image `settings` describe into the run cache
    /// beforehand (`ImagePackager.prepareRuntimeLayer`), so that `run` later takes its blob
    /// from there; `sluice run` does this beside training. `scratch`: a directory for the
    /// blob on its way, removed after. With `unpackInto`, the layer is also unpacked there
    /// when it is the image's bottom layer, for the smoke test (`SmokeSettings.bottomLayer`).
    public static func prepareRuntimeLayer(_ settings: PackageSettings, scratch: String, unpackInto: String? = nil) throws -> UnpackedLayer? {
        try ImagePackager.prepareRuntimeLayer(settings.spec, directory: settings.directory, provenance: settings.provenance,
                                              layerCache: settings.layerCache, scratch: scratch, unpackInto: unpackInto)
    }
}
