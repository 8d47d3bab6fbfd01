import ArgumentParser
import Core
import Foundation
import Packaging
import Pipeline
import ReportModel

/// `sluice smoke`: starts a packaged image with runc and checks its predictions.
struct SmokeCommand: SluiceCommand {
    static let configuration = CommandConfiguration(
        commandName: "smoke",
        abstract: "Start a packaged image with a real OCI runtime and check that it predicts as the evaluation did.",
        discussion: """
        Unpacks the image with umoci, runs it with runc (no terminal, the host's network, its \
        --port moved to a free one), waits for GET /v2/health/ready, sends the first rows of \
        --data to POST /v2/models/NAME/infer and compares each score (or regression value) \
        with --predictions, bit for bit; then stops and removes the container. The same stage \
        runs in `sluice run` between package and push. See docs/commands/run.md#smoke.

        Exit codes: 0 passed, or skipped (no runtime here, or package.smoke: off); 1 the image \
        failed; 2 usage or configuration error; 3 no runtime with --required, or umoci failed.
        """
    )

    @Option(help: "The image: an OCI layout DIR[:TAG] (default: package.layout, else .sluice/image when it exists, else the latest sluice run's image; tag latest).")
    var image: String?

    @Option(help: "The rows to send (default: evaluate.holdout).")
    var data: String?

    @Option(help: "The predictions the image must repeat (default: .sluice/work/predictions/candidate.csv, as `sluice evaluate --model` and `sluice run` write it).")
    var predictions: String?

    @Option(help: "How many of the first rows to send.")
    var rows: Int?

    @Flag(help: "Fail (exit 3) when no OCI runtime can run the image, instead of skipping.")
    var required = false

    @Option(help: "Output format.")
    var format: ResultFormat = .text

    @OptionGroup var configLocation: ConfigLocation

    func execute() throws -> ExitStatus {
        var flags = SmokeFlags()
        flags.image = image
        flags.data = data
        flags.predictions = predictions
        flags.rows = rows
        if required { flags.mode = .required }
        let summary = try SmokeStage.run(try SmokeSettings.resolve(flags, try configLocation.sources()))
        switch format {
        case .json: print(try JSONOutput.string(summary), terminator: "")
        case .text: print("smoke \(summary.outcome.rawValue): \(SmokeStage.line(summary))")
        }
        return summary.outcome == .failed ? .verdictFailed : .success
    }
}
