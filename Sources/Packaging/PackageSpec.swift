import OCI

/// What to package: the `package:` section of `sluice.yml`, which `sluice package` flags
/// override. Every field is optional in the file; `ImagePackager` applies the defaults.
///
/// ```yaml
/// package:
///   base: python:3.12-slim          # a registry reference, oci:DIR[:TAG], or scratch
///   layers:                         # least changing first
///     - name: dependencies
///       files: ["venv/:/opt/venv"]
///     - name: code
///       files: ["src/:/app/src"]
///     - name: model
///       files: [{source: model/, target: /app/model}]
///   entrypoint: ["/opt/venv/bin/python", "-m", "app.serve"]
///   env: {MODEL_DIR: /app/model}
///   ports: ["8080/tcp"]
///   push: registry.example.com/team/churn:candidate
/// ```
///
/// With `runtime: true` the image serves a built-in model by itself: see `RuntimeLayer`.
public struct PackageSpec: Decodable, Equatable, Sendable {
    /// `scratch` (the default), `oci:DIR` or `oci:DIR:TAG` (an image layout), or a registry reference.
    public var base: String?
    /// The platform to take from a multi-platform base, `os/arch[/variant]`; default linux/amd64.
    public var platform: String?
    public var layers: [LayerSpec]?
    public var entrypoint: [String]?
    public var cmd: [String]?
    public var env: [String: String]?
    public var workdir: String?
    public var user: String?
    /// `8080/tcp`, `53/udp`, or a bare port (tcp).
    public var ports: [String]?
    /// Config labels.
    public var labels: [String: String]?
    /// Extra manifest annotations.
    public var annotations: [String: String]?
    /// The OCI layout directory to write; default `.sluice/image`.
    public var layout: String?
    /// The tag inside the layout; default the push reference's tag, else `latest`.
    public var tag: String?
    /// A `docker load` tarball to write as well.
    public var tarball: String?
    /// A registry reference to push to.
    public var push: String?
    /// Package the targets of links that point outside a packaged directory instead of refusing.
    public var copyEscapingLinks: Bool?
    /// gzip level: 1 (fastest, the default) to 9 (smallest); 0 stores without compressing,
    /// the fastest choice for weights that do not compress.
    public var compressionLevel: Int?
    /// Add the `runtime` layer (the sluice binary, its shared libraries, CA certificates and a
    /// non-root user) and default the entrypoint to `sluice serve --model /model`.
    public var runtime: Bool?
    /// Where a push writes the Kubernetes manifests for the pushed digest; default `deploy`
    /// beside the layout directory (`.sluice/deploy`).
    public var manifests: String?
    /// Whether `sluice run` starts the image before pushing it (default `auto`).
    public var smoke: SmokeMode?

    public init(base: String? = nil, platform: String? = nil, layers: [LayerSpec]? = nil, entrypoint: [String]? = nil, cmd: [String]? = nil,
                env: [String: String]? = nil, workdir: String? = nil, user: String? = nil, ports: [String]? = nil, labels: [String: String]? = nil,
                annotations: [String: String]? = nil, layout: String? = nil, tag: String? = nil, tarball: String? = nil, push: String? = nil,
                copyEscapingLinks: Bool? = nil, compressionLevel: Int? = nil, runtime: Bool? = nil, manifests: String? = nil, smoke: SmokeMode? = nil) {
        self.base = base
        self.platform = platform
        self.layers = layers
        self.entrypoint = entrypoint
        self.cmd = cmd
        self.env = env
        self.workdir = workdir
        self.user = user
        self.ports = ports
        self.labels = labels
        self.annotations = annotations
        self.layout = layout
        self.tag = tag
        self.tarball = tarball
        self.push = push
        self.copyEscapingLinks = copyEscapingLinks
        self.compressionLevel = compressionLevel
        self.runtime = runtime
        self.manifests = manifests
        self.smoke = smoke
    }

    enum CodingKeys: String, CodingKey {
        case base, platform, layers, entrypoint, cmd, env, workdir, user, ports, labels, annotations, layout, tag, tarball, push, runtime, manifests, smoke
        case copyEscapingLinks = "copy_escaping_links"
        case compressionLevel = "compression_level"
    }

    /// `other`'s fields where it has them, this spec's elsewhere (flags over the file).
    public func overriding(with other: PackageSpec) -> PackageSpec {
        PackageSpec(base: other.base ?? base, platform: other.platform ?? platform, layers: other.layers ?? layers,
                    entrypoint: other.entrypoint ?? entrypoint, cmd: other.cmd ?? cmd,
                    env: (env ?? [:]).merging(other.env ?? [:]) { _, new in new }.nilIfEmpty,
                    workdir: other.workdir ?? workdir, user: other.user ?? user, ports: other.ports ?? ports,
                    labels: (labels ?? [:]).merging(other.labels ?? [:]) { _, new in new }.nilIfEmpty,
                    annotations: (annotations ?? [:]).merging(other.annotations ?? [:]) { _, new in new }.nilIfEmpty,
                    layout: other.layout ?? layout, tag: other.tag ?? tag, tarball: other.tarball ?? tarball, push: other.push ?? push,
                    copyEscapingLinks: other.copyEscapingLinks ?? copyEscapingLinks, compressionLevel: other.compressionLevel ?? compressionLevel,
                    runtime: other.runtime ?? runtime, manifests: other.manifests ?? manifests, smoke: other.smoke ?? smoke)
    }
}

/// The smoke stage of `sluice run`: `auto` runs it where an OCI runtime is available and
/// says why it was skipped elsewhere; `required` fails the run without a runtime; `off`.
public enum SmokeMode: String, Decodable, Equatable, Sendable, CaseIterable {
    case auto, required, off
}

/// One layer: a name (`dependencies`, `code`, `model`, ...) and the files it carries.
public struct LayerSpec: Decodable, Equatable, Sendable {
    public var name: String
    /// `SOURCE:TARGET` strings or `{source, target}` mappings; sources relative to the config file.
    public var files: [FileMapping]

    public init(name: String, files: [FileMapping]) {
        self.name = name
        self.files = files
    }

    /// Parses the `--layer NAME=SOURCE:TARGET[,SOURCE:TARGET...]` flag.
    public init(parsing text: String) throws {
        guard let equals = text.firstIndex(of: "="), !text[..<equals].isEmpty else {
            throw PackagingError.usage("--layer \(text): expected NAME=SOURCE:TARGET[,SOURCE:TARGET...]")
        }
        name = String(text[..<equals])
        files = try text[text.index(after: equals)...].split(separator: ",").map { try FileMapping(parsing: String($0)) }
        if files.isEmpty { throw PackagingError.usage("--layer \(text): no files given") }
    }
}

extension Dictionary {
    var nilIfEmpty: Self? { isEmpty ? nil : self }
}
