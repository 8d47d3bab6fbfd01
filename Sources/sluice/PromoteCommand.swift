import ArgumentParser
import Core
import OCI
import Pipeline
import Packaging

/// `sluice promote`: moves a tag to an image only when the registry holds all of it.
struct PromoteCommand: SluiceCommand {
    static let configuration = CommandConfiguration(
        commandName: "promote",
        abstract: "Point a tag (such as champion) at an image, after checking the registry holds all of it.",
        discussion: """
        The image is named by digest. Its manifest and every blob it names must be in the
        registry; otherwise nothing changes, so a failed or partial push never moves the tag.

        Example:
          sluice promote registry.example.com/team/churn@sha256:4f1c... --tag champion

        Exit codes: 0 promoted; 2 usage error; 3 the image is incomplete or the registry failed.
        """
    )

    @Argument(help: "The image, by digest: REGISTRY/REPOSITORY@sha256:...")
    var image: String

    @Option(help: "The tag to move (default: promote.tag in sluice.yml, else champion).")
    var tag: String?

    @Option(help: "Output format.")
    var format: ResultFormat = .text

    @OptionGroup var registry: RegistryOptionGroup

    @OptionGroup var configLocation: ConfigLocation

    func execute() throws -> ExitStatus {
        let sources = try configLocation.sources()
        let settings = try PromoteSettings.resolve(PromoteFlags(image: try Reference(parsing: image), tag: tag), sources, registries: { image in
            try registry.registries(target: image.registry, sources: sources)
        })
        let summary = try PromoteStage.run(settings)
        print(try PackageCommand.render(summary, format: format), terminator: "")
        return .success
    }
}
