import Core
import OCI
import Packaging
import ReportModel

/// The flags of `sluice promote`, or what `sluice run` passes in their place (the image it pushed).
public struct PromoteFlags {
    /// The image, by digest.
    public var image: Reference
    /// The tag to move (default: `promote.tag`, else `champion`).
    public var tag: String?

    public init(image: Reference, tag: String? = nil) {
        self.image = image
        self.tag = tag
    }
}

/// The resolved settings of the promote stage.
public struct PromoteSettings {
    public var image: Reference
    public var tag: String
    public var registries: Registries

    /// The flag, then `promote.tag`, then `champion`; `registries` makes the registry access
    /// for the image's registry.
    public static func resolve(_ flags: PromoteFlags, _ sources: SettingsSources, registries: (Reference) throws -> Registries) throws -> PromoteSettings {
        let tag = try flags.tag ?? sources.section(PromoteSection.self, "promote")?.tag ?? PromoteSection().tag
        return PromoteSettings(image: flags.image, tag: tag, registries: try registries(flags.image))
    }
}

/// Moves the champion tag to an image, only once the registry holds all of it (manifest and
/// every blob), and checks the tag stayed there. `sluice promote` and the run's promote
/// stage both call this.
public enum PromoteStage: StageUseCase {
    public static let stage = Stage.promote

    public static func run(_ settings: PromoteSettings) throws -> ImageSummary {
        try Promotion.promote(settings.image, tag: settings.tag, registries: settings.registries)
    }
}
