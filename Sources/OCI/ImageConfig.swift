/// The image configuration (the config blob): platform, runtime defaults, layer diff IDs, history.
public struct ImageConfig: Codable, Equatable, Sendable {
    public var architecture: String
    public var os: String
    public var variant: String?
    public var created: String?
    public var author: String?
    public var config: ContainerConfig?
    public var rootfs: RootFS
    public var history: [History]?

    public init(platform: Platform, created: String? = nil, config: ContainerConfig? = nil, rootfs: RootFS = RootFS(diffIDs: []), history: [History]? = nil) {
        architecture = platform.architecture
        os = platform.os
        variant = platform.variant
        self.created = created
        self.config = config
        self.rootfs = rootfs
        self.history = history
    }

    public var platform: Platform { Platform(os: os, architecture: architecture, variant: variant) }
}

/// How a container from the image runs by default.
public struct ContainerConfig: Codable, Equatable, Sendable {
    public var user: String?
    public var exposedPorts: [String: EmptyObject]?
    public var env: [String]?
    public var entrypoint: [String]?
    public var cmd: [String]?
    public var volumes: [String: EmptyObject]?
    public var workingDir: String?
    public var labels: [String: String]?
    public var stopSignal: String?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case user = "User", exposedPorts = "ExposedPorts", env = "Env", entrypoint = "Entrypoint", cmd = "Cmd"
        case volumes = "Volumes", workingDir = "WorkingDir", labels = "Labels", stopSignal = "StopSignal"
    }
}

/// `{}`, the value type of the spec's set-like maps (ports, volumes).
public struct EmptyObject: Codable, Equatable, Sendable {
    public init() {}
}

/// The uncompressed digests of the layers, in order.
public struct RootFS: Codable, Equatable, Sendable {
    public var type = "layers"
    public var diffIDs: [Digest]

    public init(diffIDs: [Digest]) { self.diffIDs = diffIDs }

    enum CodingKeys: String, CodingKey {
        case type
        case diffIDs = "diff_ids"
    }
}

/// One step that built the image; `emptyLayer` steps added no layer.
public struct History: Codable, Equatable, Sendable {
    public var created: String?
    public var createdBy: String?
    public var comment: String?
    public var emptyLayer: Bool?

    public init(created: String? = nil, createdBy: String? = nil, comment: String? = nil, emptyLayer: Bool? = nil) {
        self.created = created
        self.createdBy = createdBy
        self.comment = comment
        self.emptyLayer = emptyLayer
    }

    enum CodingKeys: String, CodingKey {
        case created, comment
        case createdBy = "created_by"
        case emptyLayer = "empty_layer"
    }
}
