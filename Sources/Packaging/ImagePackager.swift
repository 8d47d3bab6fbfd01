import Core
import Foundation
import OCI
import ReportModel

/// An image written to a layout, ready to push.
public struct PackagedImage: Sendable {
    public var layout: ImageLayout
    /// Where a push writes the deployment manifests.
    public var manifestsDirectory: String
    public var tag: String
    public var image: Image
    public var manifestData: Data
    public var configData: Data
    /// The name of each manifest layer, in order (`base` for the base image's).
    public var layerNames: [String]
    /// Base blobs and the repository they came from, for cross-repository mounts.
    public var mountFrom: [Digest: String]
    public var baseRegistry: String?
    public var summary: ImageSummary
}

/// Builds an image from a `PackageSpec`: base, then one layer per spec layer, then config
/// and manifest, into an OCI layout (and a `docker load` tarball when asked).
public enum ImagePackager {
    /// The annotation naming a layer (`model`, `code`, ...) on its descriptor.
    public static let layerNameAnnotation = "dev.sluice.layer"
    /// The image path a single-directory layer was mapped to, so `pull-model` can strip it.
    public static let layerRootAnnotation = "dev.sluice.layer.root"

    /// Packages `spec`; relative paths are resolved against `directory`. With `layerCache`,
    /// the runtime layer's compressed blob is kept there and reused while its files are the
    /// same (the other layers are small or change with every model).
    public static func package(_ spec: PackageSpec, directory: String, provenance: Provenance, registries: Registries, layerCache: LayerCache? = nil) throws -> PackagedImage {
        guard var layerSpecs = spec.layers, !layerSpecs.isEmpty else {
            throw PackagingError.usage("nothing to package: give at least one layer (--layer NAME=SOURCE:TARGET or package.layers in sluice.yml)")
        }
        var spec = spec
        let staging = stagingDirectory()
        defer { try? FileManager.default.removeItem(atPath: staging) }
        if spec.runtime == true {
            let runtime = try runtimeLayer(spec, staging: staging)
            layerSpecs.insert(runtime.layer, at: 0)
            var defaults = RuntimeLayer.defaults(loader: runtime.loader)
            if spec.entrypoint != nil { defaults.cmd = nil } // serve's flags mean nothing to another entrypoint
            spec = defaults.overriding(with: spec)
        }
        let names = layerSpecs.map(\.name)
        if let duplicate = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
            throw PackagingError.usage("two layers are named \(duplicate)")
        }
        guard let platform = Platform(spec.platform ?? "linux/amd64") else {
            throw PackagingError.usage("--platform \(spec.platform ?? ""): expected os/arch[/variant], such as linux/amd64")
        }
        let level = try compressionLevel(spec)
        let resolve = { (path: String) in path.hasPrefix("/") ? path : (directory as NSString).appendingPathComponent(path) }

        let base = try BaseImage.resolve(spec.base ?? "scratch", platform: platform, resolve: resolve, registries: registries)
        let layout = try ImageLayout(path: resolve(spec.layout ?? ".sluice/image"), create: true)
        if let image = base.image {
            for layer in image.manifest.layers { try layout.importBlob(from: image.blobPath(layer.digest), digest: layer.digest) }
        }
        let docker = MediaType.isDocker(base.image?.manifestDescriptor.mediaType)
        let layerType = docker ? MediaType.dockerLayerGzip : MediaType.ociLayerGzip

        // Layers are independent, so they are written side by side.
        let links: EscapingLinks = spec.copyEscapingLinks == true ? .copy : .refuse
        let built = ResultSlots<Layer>(count: layerSpecs.count)
        try Parallel.forEach(Array(layerSpecs.enumerated()), width: 2) { position, layerSpec in
            // The runtime layer's files are Sluice's own (its binary, the libraries the loader
            // resolved, the CA bundle), outside the project by nature; no user source is among them.
            let isRuntime = spec.runtime == true && layerSpec.name == RuntimeLayer.name
            let content = try LayerContent(layerSpec.files, relativeTo: directory, links: isRuntime ? .copy : links)
            var annotations = [layerNameAnnotation: layerSpec.name]
            if layerSpec.files.count == 1, Self.isDirectory(resolve(layerSpec.files[0].source)) {
                annotations[layerRootAnnotation] = "/" + layerSpec.files[0].target.split(separator: "/").joined(separator: "/")
            }
            let total = content.items.reduce(Int64(0)) { sum, item in
                if case .file(let size) = item.entry.kind, item.source != nil { return sum + size }
                return sum
            }
            let transfer = registries.options.progress.start("layer \(layerSpec.name)", total: total)
            if isRuntime, let layerCache {
                built[position] = try layerCache.write(content, into: layout, mediaType: layerType, mtime: provenance.created, level: level,
                                                       annotations: annotations, progress: { transfer.update($0) }).layer
            } else {
                built[position] = try LayerWriter.write(content, into: layout, mediaType: layerType, mtime: provenance.created, level: level,
                                                        annotations: annotations, progress: { transfer.update($0) })
            }
            transfer.finish()
        }
        let layers = built.values

        var config = base.image?.config ?? ImageConfig(platform: platform)
        config.created = provenance.createdText
        config.config = apply(spec, to: config.config ?? ContainerConfig())
        config.rootfs.diffIDs += layers.map(\.diffID)
        // Image paths only: a host path would make the digest depend on where the checkout lives.
        config.history = (config.history ?? []) + zip(layerSpecs, layers).map { layerSpec, _ in
            History(created: provenance.createdText, createdBy: "sluice package: layer \(layerSpec.name)", comment: layerSpec.name == RuntimeLayer.name
                    ? "sluice \(SluiceBuild.version), \(layerSpec.files.count) files" : layerSpec.files.map(\.target).joined(separator: ", "))
        }
        let configData = try CanonicalJSON.encode(config)
        let configDescriptor = try layout.writeBlob(configData, mediaType: docker ? MediaType.dockerConfig : MediaType.ociConfig)

        var annotations = provenance.annotations(baseName: base.name, baseDigest: base.image?.manifestDescriptor.digest.description)
        annotations.merge(spec.annotations ?? [:]) { _, new in new }
        let manifestType = docker ? MediaType.dockerManifest : MediaType.ociManifest
        let manifest = Manifest(mediaType: manifestType, config: configDescriptor,
                                layers: (base.image?.manifest.layers ?? []) + layers.map(\.descriptor), annotations: annotations)
        let manifestData = try CanonicalJSON.encode(manifest)
        let manifestDescriptor = try layout.writeBlob(manifestData, mediaType: manifestType)
        let tag = try spec.tag ?? spec.push.map { try Reference(parsing: $0).tag ?? "latest" } ?? "latest"
        try layout.setTag(tag, to: manifestDescriptor)

        let image = Image(manifestDescriptor: manifestDescriptor, manifest: manifest, config: config, blobPath: { layout.blobPath($0) })
        if let tarball = spec.tarball {
            let repoTag = try spec.push.map { reference -> String in
                let parsed = try Reference(parsing: reference)
                return "\(parsed.registry)/\(parsed.repository):\(parsed.tag ?? tag)"
            }
            try DockerArchive.write(image, manifestData: manifestData, configData: configData, repoTags: repoTag.map { [$0] } ?? [],
                                    to: resolve(tarball), mtime: provenance.created)
        }
        let layerNames = Array(repeating: "base", count: base.image?.manifest.layers.count ?? 0) + names
        let summary = ImageSummary(reference: "\(layout.path):\(tag)", digest: manifestDescriptor.digest.description, pushed: false,
                                   layers: zip(layerNames, manifest.layers).map { LayerSummary(name: $0, digest: $1.digest.description, size: Int($1.size), uploaded: false) })
        let manifests = spec.manifests.map(resolve) ?? ((layout.path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("deploy")
        return PackagedImage(layout: layout, manifestsDirectory: manifests, tag: tag, image: image, manifestData: manifestData, configData: configData, layerNames: layerNames,
                             mountFrom: base.mountFrom, baseRegistry: base.registry, summary: summary)
    }

    /// Compresses the runtime layer that `package` would write for `spec` and `provenance`
    /// into `layerCache` ahead of the packaging, so that `package` then takes its blob from
    /// the cache (`sluice run` does this beside training, while the image's other layers
    /// wait for the model and its evaluation). The blob goes through a scratch layout at
    /// `scratch`, removed afterwards: no image is written. Nothing to do without a runtime layer.
    ///
    /// With `unpackInto`, and when the runtime layer is the image's bottom layer (base
    /// `scratch`), it is also unpacked there from its blob (`UnpackedLayer`), for the smoke
    /// test's bundle to start from; nil when it is not, or could not be unpacked exactly (the
    /// smoke test then has `umoci` unpack the whole image, as without it).
    @discardableResult
    public static func prepareRuntimeLayer(_ spec: PackageSpec, directory: String, provenance: Provenance, layerCache: LayerCache, scratch: String,
                                           unpackInto root: String? = nil) throws -> UnpackedLayer? {
        guard spec.runtime == true else { return nil }
        let staging = stagingDirectory()
        defer {
            try? FileManager.default.removeItem(atPath: staging)
            try? FileManager.default.removeItem(atPath: scratch)
        }
        let runtime = try runtimeLayer(spec, staging: staging)
        let content = try LayerContent(runtime.layer.files, relativeTo: directory, links: .copy)
        let layout = try ImageLayout(path: scratch, create: true)
        let layer = try layerCache.write(content, into: layout, mediaType: MediaType.ociLayerGzip,
                                         mtime: provenance.created, level: try compressionLevel(spec)).layer
        guard let root, (spec.base ?? "scratch") == "scratch" else { return nil }
        try? FileManager.default.removeItem(atPath: root)
        return try? UnpackedLayer.unpack(blob: layout.blobPath(layer.descriptor.digest), digest: layer.descriptor.digest, diffID: layer.diffID, into: root)
    }

    /// The runtime layer of `spec` (generated account files go to `staging`) and the loader
    /// its entrypoint runs.
    private static func runtimeLayer(_ spec: PackageSpec, staging: String) throws -> (layer: LayerSpec, loader: String?) {
        let runtime = try RuntimeLayer.files(program: RuntimeLayer.currentProgram(), certificates: RuntimeLayer.certificates,
                                             accounts: (spec.base ?? "scratch") == "scratch", staging: staging)
        return (LayerSpec(name: RuntimeLayer.name, files: runtime.files), runtime.loader)
    }

    private static func stagingDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("sluice-runtime-\(UUID().uuidString)").path
    }

    private static func compressionLevel(_ spec: PackageSpec) throws -> Int32 {
        let level = Int32(spec.compressionLevel ?? 1)
        guard (0...9).contains(level) else { throw PackagingError.usage("compression level \(level): expected 0 (store) or 1 (fastest) to 9 (smallest)") }
        return level
    }

    /// Pushes a packaged image and returns its summary with what was uploaded; when the image
    /// exposes a port, Kubernetes manifests for the pushed digest are written beside it.
    public static func push(_ packaged: PackagedImage, to reference: Reference, registries: Registries) throws -> ImageSummary {
        let client = registries.client(reference.registry)
        let mounts = packaged.baseRegistry == reference.registry ? packaged.mountFrom : [:]
        let result = try Push.image(packaged.image, manifestData: packaged.manifestData, to: reference, client: client,
                                    mountFrom: mounts, parallel: registries.parallel)
        var summary = packaged.summary
        summary.reference = Reference(registry: reference.registry, repository: reference.repository, tag: reference.tag).description
        summary.pushed = true
        for index in summary.layers.indices {
            let digest = try Digest(summary.layers[index].digest)
            summary.layers[index].uploaded = result.outcomes[digest] == .uploaded
        }
        if let port = DeploymentManifests.port(of: packaged.image.config.config) {
            let pinned = Reference(registry: reference.registry, repository: reference.repository, digest: try Digest(summary.digest))
            summary.manifests = try DeploymentManifests(reference: pinned, port: port, user: packaged.image.config.config?.user).write(to: packaged.manifestsDirectory)
        }
        return summary
    }

    /// The base config's runtime defaults with the spec's put over them.
    static func apply(_ spec: PackageSpec, to base: ContainerConfig) -> ContainerConfig {
        var config = base
        if let entrypoint = spec.entrypoint {
            config.entrypoint = entrypoint
            // As with a Dockerfile, a new entrypoint drops the base's command.
            config.cmd = spec.cmd
        } else if let cmd = spec.cmd {
            config.cmd = cmd
        }
        if let env = spec.env, !env.isEmpty {
            var lines = (config.env ?? []).filter { line in !env.keys.contains(String(line.prefix { $0 != "=" })) }
            lines += env.keys.sorted().map { "\($0)=\(env[$0]!)" }
            config.env = lines
        }
        if let workdir = spec.workdir { config.workingDir = workdir }
        if let user = spec.user { config.user = user }
        if let ports = spec.ports, !ports.isEmpty {
            var exposed = config.exposedPorts ?? [:]
            for port in ports { exposed[port.contains("/") ? port : "\(port)/tcp"] = EmptyObject() }
            config.exposedPorts = exposed
        }
        if let labels = spec.labels, !labels.isEmpty {
            config.labels = (config.labels ?? [:]).merging(labels) { _, new in new }
        }
        return config
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}

/// Results written by parallel workers into their own positions.
final class ResultSlots<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [T?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    subscript(position: Int) -> T? {
        get { lock.lock(); defer { lock.unlock() }; return slots[position] }
        set { lock.lock(); slots[position] = newValue; lock.unlock() }
    }

    /// Every slot's value; call once all workers succeeded.
    var values: [T] { lock.lock(); defer { lock.unlock() }; return slots.map { $0! } }
}
