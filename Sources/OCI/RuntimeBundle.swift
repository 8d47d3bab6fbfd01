import Core
import Foundation

/// An OCI runtime bundle (`config.json` + `rootfs/`) unpacked from an image in an OCI layout
/// by `umoci`, then adjusted to run without a terminal in the host's network namespace, so
/// a server inside is reachable on the host's loopback.
public struct RuntimeBundle: Sendable {
    /// The bundle directory.
    public let path: String

    public var configPath: String { (path as NSString).appendingPathComponent("config.json") }

    /// Unpacks `layout:tag` into `directory` (which must not exist yet) with `umoci` and
    /// adjusts its config (`adjust`). The root filesystem and the runtime config come from
    /// `umoci raw unpack` and `umoci raw runtime-config`, which give what `umoci unpack`
    /// does without the mtree manifest it writes for `umoci repack` (a digest of every file
    /// unpacked, a fifth of its time), which a bundle that is only run never needs.
    ///
    /// `bottom`, the image's bottom layer unpacked ahead, becomes the root filesystem when the
    /// image's first layer is that one (same blob digest and diff ID), and `umoci` then
    /// unpacks only the layers above it onto it; otherwise it is removed and `umoci` unpacks
    /// every layer. Either way the bundle takes it over: it is not used twice.
    public static func unpack(layout: String, tag: String, into directory: String, umoci: String, bottom: UnpackedLayer? = nil) throws -> RuntimeBundle {
        defer { bottom?.discard() }
        guard !FileManager.default.fileExists(atPath: directory) else {
            throw OCIError.invalid("\(directory) already exists; a bundle is unpacked into a new directory")
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        // A bundle that could not be made whole is removed, root filesystem and all: an
        // untrusted image's files never stay behind a failure.
        var whole = false
        defer { if !whole { try? FileManager.default.removeItem(atPath: directory) } }
        let bundle = RuntimeBundle(path: directory)
        let image = "\(layout):\(tag)"
        let rootfs = (directory as NSString).appendingPathComponent("rootfs")
        var unpack = ["unpack", "--image", image, rootfs]
        // An image that cannot be read here is left for umoci to report on.
        if let bottom, let above = try? layersAbove(bottom, in: layout, tag: tag, scratch: (directory as NSString).appendingPathComponent("layers-above")),
           rename(bottom.root, rootfs) == 0 {
            unpack = above.map { ["unpack", "--image", "\($0):\(tag)", rootfs] } ?? []
        }
        defer { try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent("layers-above")) }
        for (arguments, what) in [(unpack, "unpack"), (["runtime-config", "--image", image, "--rootfs", rootfs, bundle.configPath], "configure")] where !arguments.isEmpty {
            let outcome = try ChildProcess.run(.arguments([umoci, "raw"] + arguments), prefix: "umoci | ", tailLines: 10)
            guard outcome.succeeded else {
                throw CommandFailure(summary: "umoci could not \(what) \(image) (exit status \(outcome.status))", tail: outcome.tail)
            }
        }
        try bundle.adjust()
        whole = true
        return bundle
    }

    /// When the image's first layer is `bottom`'s: `.some(nil)` for an image of that layer
    /// alone, else `.some(path)` of a layout at `scratch` holding the image with its other
    /// layers only (their blobs linked from `layout`, `umoci` checks each against its digest
    /// and diff ID as it unpacks it). `nil` when the image does not start with `bottom`.
    private static func layersAbove(_ bottom: UnpackedLayer, in layout: String, tag: String, scratch: String) throws -> String?? {
        let source = try ImageLayout(path: layout)
        let image = try Image.read(from: source, tag: tag)
        let layers = image.manifest.layers, diffIDs = image.config.rootfs.diffIDs
        guard layers.count == diffIDs.count, layers.first?.digest == bottom.digest, diffIDs.first == bottom.diffID else { return nil }
        guard layers.count > 1 else { return .some(nil) }
        let above = try ImageLayout(path: scratch, create: true)
        var config = image.config
        config.rootfs.diffIDs = Array(diffIDs.dropFirst())
        let configDescriptor = try above.writeBlob(try CanonicalJSON.encode(config), mediaType: image.manifest.config.mediaType)
        for layer in layers.dropFirst() { try above.importBlob(from: source.blobPath(layer.digest), digest: layer.digest) }
        let manifest = Manifest(mediaType: image.manifest.mediaType ?? MediaType.ociManifest, config: configDescriptor, layers: Array(layers.dropFirst()))
        try above.setTag(tag, to: try above.writeBlob(try CanonicalJSON.encode(manifest), mediaType: image.manifest.mediaType ?? MediaType.ociManifest))
        return .some(scratch)
    }

    /// Opens an existing bundle directory.
    public init(path: String) {
        self.path = path
    }

    /// Rewrites `config.json` for a detached, non-interactive run: no terminal, no network
    /// namespace of its own (the host's, so its ports are on the host's loopback).
    public func adjust() throws {
        try rewriteConfig { config in
            var process = config["process"] as? [String: Any] ?? [:]
            process["terminal"] = false
            config["process"] = process
            var linux = config["linux"] as? [String: Any] ?? [:]
            let namespaces = linux["namespaces"] as? [[String: Any]] ?? []
            linux["namespaces"] = namespaces.filter { $0["type"] as? String != "network" }
            config["linux"] = linux
        }
    }

    /// Removes the cgroup resource limits (`linux.resources`), for kernels or sandboxes that
    /// refuse to apply them.
    public func dropResourceLimits() throws {
        try rewriteConfig { config in
            var linux = config["linux"] as? [String: Any] ?? [:]
            linux.removeValue(forKey: "resources")
            linux.removeValue(forKey: "cgroupsPath")
            config["linux"] = linux
        }
    }

    /// The process the bundle runs: its arguments and user id, as `config.json` says.
    public func process() throws -> (arguments: [String], uid: Int) {
        let config = try readConfig()
        let process = config["process"] as? [String: Any] ?? [:]
        let user = process["user"] as? [String: Any] ?? [:]
        return (process["args"] as? [String] ?? [], (user["uid"] as? NSNumber)?.intValue ?? 0)
    }

    private func readConfig() throws -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: configPath),
              let config = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw OCIError.invalid("\(configPath) is not a runtime config (JSON object)")
        }
        return config
    }

    fileprivate func rewriteConfig(_ change: (inout [String: Any]) -> Void) throws {
        var config = try readConfig()
        change(&config)
        try AtomicFile.write(try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys]), to: configPath)
    }
}

extension RuntimeBundle {
    /// Sets the argument that follows `flag` in the process's arguments (a port, say).
    public func setArgument(after flag: String, to value: String) throws {
        var found = false
        try rewriteConfig { config in
            var process = config["process"] as? [String: Any] ?? [:]
            var arguments = process["args"] as? [String] ?? []
            if let index = arguments.firstIndex(of: flag), index + 1 < arguments.count {
                arguments[index + 1] = value
                found = true
            }
            process["args"] = arguments
            config["process"] = process
        }
        guard found else { throw OCIError.invalid("the bundle's process has no \(flag) argument") }
    }
}
