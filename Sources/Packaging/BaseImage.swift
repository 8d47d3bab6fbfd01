import Foundation
import OCI

/// The image a package builds on: none (`scratch`), an OCI layout, or a registry image.
struct BaseImage {
    var image: Image?
    /// For the `org.opencontainers.image.base.name` annotation.
    var name: String?
    var registry: String?
    var mountFrom: [Digest: String] = [:]

    static func resolve(_ text: String, platform: Platform, resolve: (String) -> String, registries: Registries) throws -> BaseImage {
        if text == "scratch" { return BaseImage() }
        if text.hasPrefix("oci:") {
            var path = String(text.dropFirst(4))
            var tag: String?
            if let colon = path.lastIndex(of: ":"), !path[colon...].contains("/") {
                tag = String(path[path.index(after: colon)...])
                path = String(path[..<colon])
            }
            let layout = try ImageLayout(path: resolve(path))
            // The layout's own name, not its host path, so the digest does not depend on where it lives.
            let name = "oci:" + (path as NSString).lastPathComponent + (tag.map { ":" + $0 } ?? "")
            return BaseImage(image: try Image.read(from: layout, tag: tag, platform: platform), name: name)
        }
        let reference = try Reference(parsing: text)
        let image = try Pull.image(reference, platform: platform, client: registries.client(reference.registry), cache: registries.cache, parallel: registries.parallel)
        var mounts: [Digest: String] = [:]
        for layer in image.manifest.layers { mounts[layer.digest] = reference.repository }
        return BaseImage(image: image, name: text, registry: reference.registry, mountFrom: mounts)
    }
}
