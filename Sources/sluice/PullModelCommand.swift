import ArgumentParser
import Core
import OCI
import Pipeline
import Packaging

/// `sluice pull-model`: extracts one named layer of a registry image into a directory.
struct PullModelCommand: SluiceCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull-model",
        abstract: "Extract one layer (the model, by default) of an image into a directory.",
        discussion: """
        Reads the layer named by `sluice package` (the dev.sluice.layer annotation), streams it
        through the blob cache and extracts it safely: absolute names, `..` and links leading
        out are refused. The directory is replaced only once extraction is complete. Files
        are placed relative to the layer's mapped directory (/app/model/x -> OUT/x) unless
        --keep-paths.

        Example:
          sluice pull-model registry.example.com/team/churn:champion --layer model --out champion/

        Exit codes: 0 extracted; 2 usage error or an unsafe layer; 3 registry or I/O error.
        """
    )

    @Argument(help: "The image: REGISTRY/REPOSITORY:TAG or @sha256:...")
    var image: String

    @Option(help: "The layer's name.")
    var layer = "model"

    @Option(help: "The directory to extract into (replaced).")
    var out: String

    @Option(help: "The platform to take from a multi-platform image.")
    var platform = "linux/amd64"

    @Flag(name: .customLong("keep-paths"), help: "Keep the image paths (OUT/app/model/x) instead of stripping the layer's directory.")
    var keepPaths = false

    @Option(help: "Output format.")
    var format: ResultFormat = .text

    @OptionGroup var registry: RegistryOptionGroup

    @OptionGroup var configLocation: ConfigLocation

    func execute() throws -> ExitStatus {
        let reference = try Reference(parsing: image)
        guard let platform = Platform(platform) else { throw ValidationError("--platform \(platform): expected os/arch[/variant]") }
        let result = try ModelPull.pull(reference, layer: layer, into: out, platform: platform, keepPaths: keepPaths,
                                        registries: registry.registries(target: reference.registry, sources: try configLocation.sources()))
        switch format {
        case .json:
            struct Output: Encodable { let image: String, imageDigest: String, layer: String, layerDigest: String, files: Int, out: String }
            print(try JSONOutput.string(Output(image: reference.description, imageDigest: result.imageDigest, layer: layer, layerDigest: result.layerDigest, files: result.files, out: out)), terminator: "")
        case .text:
            print("extracted \(result.files) files of layer \(layer) (\(result.layerDigest)) from \(reference.description)@\(result.imageDigest) into \(out)")
        }
        return .success
    }
}
