import CIEnvironment
import Config
import Core
import Evaluation
import Foundation
import OCI
import Tabular
import Training

/// Where a stage's settings come from, in the order they win: flags, then `sluice.yml`,
/// then the CI's facts, then defaults.
///
/// Every stage's settings are resolved by a `resolve(_ flags:, _ sources:)` function of its
/// settings type, through this one value, so `sluice train` and `sluice run` (which passes
/// what it computed in place of flags) read one `sluice.yml` the same way.
public struct SettingsSources {
    /// The configuration file, when there is one.
    public let file: ConfigFile?
    /// The CI's facts (GitLab `CI_*`, Jenkins `CHANGE_*`, GitHub `GITHUB_*`).
    public let facts: CIFacts
    /// The process environment (tokens, `SLUICE_CACHE_DIR`, registry credentials).
    public let environment: [String: String]
    /// The directory that flag paths are relative to.
    public let workingDirectory: String

    public init(file: ConfigFile?, environment: [String: String] = ProcessInfo.processInfo.environment,
                workingDirectory: String = FileManager.default.currentDirectoryPath) {
        self.file = file
        self.environment = environment
        self.workingDirectory = workingDirectory
        facts = CIEnvironment.detect(environment)
    }

    /// The file `path` names, else `sluice.yml` when the working directory has one, else none.
    public static func load(configPath: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SettingsSources {
        if let configPath { return SettingsSources(file: try ConfigFile.load(configPath), environment: environment) }
        let file = FileManager.default.fileExists(atPath: "sluice.yml") ? try ConfigFile.load("sluice.yml") : nil
        return SettingsSources(file: file, environment: environment)
    }

    /// The section at `key`, when the file has one.
    public func section<T: Decodable>(_ type: T.Type, _ key: String) throws -> T? {
        try file?.decodeIfPresent(type, at: key)
    }

    /// A path given as a flag: relative to the working directory, and kept as the user
    /// wrote it when that is the process's own, so messages name the user's file.
    public func flagPath(_ path: String) -> String {
        path.hasPrefix("/") || workingDirectory == FileManager.default.currentDirectoryPath ? path : absolutePath(path)
    }

    /// A flag's path made absolute, for settings that resolve relative paths again later.
    public func absolutePath(_ path: String) -> String {
        path.hasPrefix("/") ? path : (workingDirectory as NSString).appendingPathComponent(path)
    }

    /// A path written in `sluice.yml`: relative to the file's directory (the repository).
    public func configPath(_ path: String) -> String {
        file?.resolve(path) ?? flagPath(path)
    }

    /// The rule itself: a flag's path, else the file's path, each resolved where it was written.
    public func path(flag: String?, file value: String?) -> String? {
        flag.map(flagPath) ?? value.map(configPath)
    }

    /// The run cache's (`train.cache`, default `.sluice/cache`) compressed runtime layers:
    /// the same `sluice` binary gives the same layer, compressed once while CI keeps the
    /// cache. `sluice package` and the run's package stage both take it from here.
    public func layerCache() throws -> LayerCache {
        let cache = try section(TrainSection.self, "train")?.cache ?? ".sluice/cache"
        return LayerCache(directory: (configPath(cache) as NSString).appendingPathComponent("layers"))
    }

    /// The data a command reads one file of: DATA, else `data.current`; `missing` says what
    /// to give when neither is there.
    public func currentData(flag: String?, missing: String) throws -> String {
        guard let data = path(flag: flag, file: try section(DataSection.self, "data")?.current) else { throw Failure.usage(missing) }
        return data
    }

    /// The data's Table Schema: `--schema`, else `data.schema` (what validate, profile and
    /// drift read).
    public func dataSchemaPath(flag: String?) throws -> String? {
        path(flag: flag, file: try section(DataSection.self, "data")?.schema)
    }

    /// The schema that describes the training data: `train.schema`, else `data.schema`.
    public func trainingSchema() throws -> TableSchema? {
        let dataSchema = try section(DataSection.self, "data")?.schema
        return try path(flag: nil, file: try section(TrainSection.self, "train")?.schema ?? dataSchema).map { try TableSchema.load(path: $0) }
    }

    /// The label column every stage uses: the flag, else `train.label`, else
    /// `evaluate.label_column`, else `label`. One answer for training, drift (which leaves
    /// the label out) and evaluation.
    public func labelColumn(flag: String? = nil) throws -> String {
        if let flag { return flag }
        if let label = try section(TrainSection.self, "train")?.label { return label }
        return try section(EvaluateSection.self, "evaluate")?.labelColumn ?? "label"
    }

    /// The `.sluice` directory: beside the configuration file, else in the working directory.
    public var sluiceDirectory: String { configPath(".sluice") }

    /// Where predictions made from models go (`.sluice/work/predictions/`, with the other
    /// working copies of data): `sluice evaluate --model` and the run's evaluate stage write
    /// `candidate.csv` there, and `sluice smoke` reads it.
    public var predictionsDirectory: String { workPath("predictions") }

    /// The image the latest `sluice run` packaged (`.sluice/runs/<id>/image`, the run
    /// `.sluice/latest/RUN_ID` names), when there is one.
    public var latestRunImage: String? {
        let latest = (sluiceDirectory as NSString).appendingPathComponent("latest/RUN_ID")
        guard let id = try? String(contentsOfFile: latest, encoding: .utf8), !id.isEmpty, !id.contains("/") else { return nil }
        let image = (sluiceDirectory as NSString).appendingPathComponent("runs/\(id)/image")
        return FileManager.default.fileExists(atPath: (image as NSString).appendingPathComponent("index.json")) ? image : nil
    }

    /// `name` in `.sluice/work/`, where working copies of data live.
    public func workPath(_ name: String) -> String {
        ((sluiceDirectory as NSString).appendingPathComponent("work") as NSString).appendingPathComponent(name)
    }
}
