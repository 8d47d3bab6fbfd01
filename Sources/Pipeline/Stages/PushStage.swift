import Core
import OCI
import Packaging
import ReportModel

/// The resolved settings of the push stage: a packaged image and where it goes.
public struct PushSettings {
    public var image: PackagedImage
    public var target: Reference
    public var registries: Registries

    /// The package stage's push target and registry access, for the image it packaged.
    public init(image: PackagedImage, target: Reference, registries: Registries) {
        self.image = image
        self.target = target
        self.registries = registries
    }
}

/// What a push left in the registry.
public struct PushedImage {
    /// The image summary, with what was uploaded and the manifests written.
    public var summary: ImageSummary
    /// The pushed image by digest, the only form a promotion accepts.
    public var reference: Reference
}

/// Pushes a packaged image (layers the registry already holds are mounted or skipped) and
/// writes Kubernetes manifests for the pushed digest when the image exposes a port.
/// `sluice package --push` and the run's push stage both call this.
public enum PushStage: StageUseCase {
    public static let stage = Stage.push

    public static func run(_ settings: PushSettings) throws -> PushedImage {
        let summary = try ImagePackager.push(settings.image, to: settings.target, registries: settings.registries)
        let reference = Reference(registry: settings.target.registry, repository: settings.target.repository, digest: try Digest(summary.digest))
        return PushedImage(summary: summary, reference: reference)
    }

    /// The one-line account of a push, for the stage line.
    public static func line(_ pushed: PushedImage) -> String {
        let uploaded = pushed.summary.layers.filter(\.uploaded).map(\.name)
        return "\(pushed.summary.reference)@\(pushed.summary.digest); uploaded \(uploaded.isEmpty ? "no layers (all present)" : uploaded.joined(separator: ", "))"
    }
}
