import ArgumentParser
import Config
import Core
import Foundation
import Pipeline

/// `--config`: the `sluice.yml` a command reads its section from.
struct ConfigLocation: ParsableArguments {
    @Option(name: .long, help: "The configuration file (default: sluice.yml when it exists).")
    var config: String?

    /// The parsed file: the one named, else `sluice.yml` in the working directory, else none.
    func load() throws -> ConfigFile? {
        try sources().file
    }

    /// Where settings come from: that file, the CI's facts and the environment.
    func sources() throws -> SettingsSources {
        try SettingsSources.load(configPath: config)
    }
}

/// `--format` for commands whose result is also a set of test cases for CI test panels.
enum TestReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, junit
}

/// Writes a result to stdout and, when asked, a JSON copy to a file.
enum ResultOutput {
    static func emit<T: Encodable>(_ value: T, format: TestReportFormat, text: () -> String, junit: () -> JUnitDocument, jsonFile: String?) throws {
        if let jsonFile { try AtomicFile.write(try JSONOutput.string(value), to: jsonFile) }
        switch format {
        case .text: FileHandle.standardOutput.write(Data(text().utf8))
        case .json: FileHandle.standardOutput.write(Data(try JSONOutput.string(value).utf8))
        case .junit: FileHandle.standardOutput.write(Data(junit().xml.utf8))
        }
    }
}
