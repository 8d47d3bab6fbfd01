import Foundation

/// How one `sluice run` was invoked: flags over the config file over the CI's facts.
public struct RunOptions {
    /// The `sluice.yml` to read.
    public var configPath: String
    /// `--mode`; nil takes the CI's pipeline source.
    public var mode: PipelineMode?
    /// `--force`: train whatever the triggers say.
    public var force = false
    /// `--no-cache`: train even when the run cache has the outputs.
    public var noCache = false
    /// `--no-post`: never post, whatever the mode allows.
    public var noPost = false
    /// `--run-id`; nil makes one from the time and CI ids.
    public var runId: String?
    /// Where `.sluice` lives; nil puts it beside the config file.
    public var root: String?
    /// `--quiet`: no stage progress lines.
    public var quiet = false
    /// `--verbose`: HTTP traces (secrets redacted).
    public var verbose = false
    /// The process environment (CI variables, tokens).
    public var environment: [String: String]

    public init(configPath: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.configPath = configPath
        self.environment = environment
    }
}
