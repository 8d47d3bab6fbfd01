import Config
import Core
import XCTest

/// A section shaped like the ones commands own, exercising nesting, lists, optionals and choices.
private struct Section: Decodable, Equatable {
    enum Mode: String, ConfigChoice { case fast, thorough }
    struct Step: Decodable, Equatable {
        var name: String
        var weight: Double?
    }
    var command: [String]
    var timeout: ConfigDuration?
    var retries: Int?
    var verbose: Bool?
    var mode: Mode?
    var steps: [Step]?
    var labels: [String: String]?
}

private func expectProblems(_ yaml: String, at section: String? = "train", file: StaticString = #filePath, line: UInt = #line) -> [ConfigError.Problem] {
    do {
        let config = try ConfigFile(yaml: yaml, path: "sluice.yml")
        _ = try config.decode(Section.self, at: section)
        XCTFail("expected a configuration error", file: file, line: line)
        return []
    } catch let error as ConfigError {
        XCTAssertEqual(error.exitStatus, .usage, file: file, line: line)
        return error.problems
    } catch {
        XCTFail("unexpected error \(error)", file: file, line: line)
        return []
    }
}

final class ConfigFileTests: XCTestCase {
    func testDecodesASectionWithNestingListsAndDefaults() throws {
        let config = try ConfigFile(yaml: """
        train:
          command: [python, train.py]
          timeout: 1h30m
          retries: 2
          verbose: true
          mode: thorough
          steps:
            - name: a
              weight: 0.5
            - name: b
          labels: {team: ml, tier: "1"}
        other: {anything: 1}
        """, path: "sluice.yml")
        let section = try config.decode(Section.self, at: "train")
        XCTAssertEqual(section, Section(command: ["python", "train.py"], timeout: ConfigDuration(seconds: 5400), retries: 2, verbose: true, mode: .thorough, steps: [.init(name: "a", weight: 0.5), .init(name: "b", weight: nil)], labels: ["team": "ml", "tier": "1"]))
        XCTAssertTrue(config.contains("other"))
        XCTAssertFalse(config.contains("gates"))
        XCTAssertNil(try config.decodeIfPresent(Section.self, at: "gates"))
    }

    func testUnknownKeyIsLocatedWithSuggestion() {
        let problems = expectProblems("""
        train:
          command: [python]
          timout: 30s
          steps:
            - name: a
              wieght: 2
        """)
        XCTAssertEqual(problems.map(\.description), [
            "sluice.yml:3:3: train: unknown key 'timout'; did you mean 'timeout'?",
            "sluice.yml:6:7: train.steps[0]: unknown key 'wieght'; did you mean 'weight'?",
        ])
    }

    func testUnknownKeyFarFromAnyKnownKeyListsTheKnownOnes() {
        let problems = expectProblems("train:\n  command: [x]\n  zzzzzz: 1\n")
        XCTAssertEqual(problems.first?.line, 3)
        XCTAssertTrue(problems.first?.message.contains("expected one of: command, labels, mode, retries, steps, timeout, verbose") ?? false, "\(problems)")
    }

    func testWrongTypesNameTheValueAndItsPlace() {
        XCTAssertEqual(expectProblems("train:\n  command: [x]\n  retries: three\n").map(\.description),
                       ["sluice.yml:3:12: train.retries: expected a whole number, found 'three'"])
        XCTAssertEqual(expectProblems("train:\n  command: python\n").map(\.description),
                       ["sluice.yml:2:12: train.command: expected a list, found 'python'"])
        XCTAssertEqual(expectProblems("train:\n  command: [x]\n  verbose: yes\n").map(\.description),
                       ["sluice.yml:3:12: train.verbose: expected true or false, found 'yes'"])
        XCTAssertEqual(expectProblems("train:\n  command: [x]\n  retries: \"2\"\n").map(\.description),
                       ["sluice.yml:3:12: train.retries: expected a whole number (without quotes), found '2'"])
        XCTAssertEqual(expectProblems("train:\n  command: [x]\n  steps: {name: a}\n").map(\.description),
                       ["sluice.yml:3:10: train.steps: expected a list, found a mapping"])
    }

    func testChoicesAndDurationsExplainTheirForm() {
        XCTAssertEqual(expectProblems("train:\n  command: [x]\n  mode: fats\n").map(\.description),
                       ["sluice.yml:3:9: train.mode: expected one of: fast, thorough, found 'fats'; did you mean 'fast'?"])
        XCTAssertEqual(expectProblems("train:\n  command: [x]\n  timeout: soon\n").map(\.description),
                       ["sluice.yml:3:12: train.timeout: expected a duration such as 90, 90s, 30m, 1h30m or 500ms, found 'soon'"])
    }

    func testMissingRequiredKeyPointsAtTheMappingAndSpotsTheTypo() {
        XCTAssertEqual(expectProblems("train:\n  comand: [x]\n").map(\.description),
                       ["sluice.yml:2:3: train: missing required key 'command' (found 'comand': a misspelling?)"])
        XCTAssertEqual(expectProblems("train:\n  steps:\n    - weight: 1\n").map(\.description),
                       ["sluice.yml:2:3: train: missing required key 'command'"])
    }

    func testYamlSyntaxErrorsAndDuplicateKeysAreLocated() {
        let syntax = expectProblems("train:\n  command: [x\n  retries: 1\n")
        XCTAssertEqual(syntax.count, 1)
        XCTAssertNotNil(syntax.first?.line)
        XCTAssertTrue(syntax.first?.message.hasPrefix("invalid YAML") ?? false)
        let duplicate = expectProblems("train:\n  command: [x]\n  command: [y]\n")
        XCTAssertTrue(duplicate.first?.message.contains("duplicate key 'command'") ?? false, "\(duplicate)")
    }

    func testWholeFileDecodingFlagsUnknownSections() {
        struct Whole: Decodable { var train: Section? }
        do {
            _ = try ConfigFile(yaml: "train:\n  command: [x]\ntrian: {}\n", path: "sluice.yml").decode(Whole.self)
            XCTFail("expected an error")
        } catch {
            XCTAssertEqual("\(error)", "sluice.yml:3:1: unknown key 'trian'; did you mean 'train'?")
        }
    }

    func testMergeKeysAndAnchorsAreFollowed() throws {
        let config = try ConfigFile(yaml: """
        defaults: &defaults
          command: [python]
          retries: 1
        train:
          <<: *defaults
          retries: 3
        """, path: "sluice.yml")
        let section = try config.decode(Section.self, at: "train")
        XCTAssertEqual(section.command, ["python"])
        XCTAssertEqual(section.retries, 3)
    }

    func testEmptyFileAndNonMappingRoot() throws {
        XCTAssertFalse(try ConfigFile(yaml: "", path: "sluice.yml").contains("train"))
        XCTAssertThrowsError(try ConfigFile(yaml: "- a\n- b\n", path: "sluice.yml")) { error in
            XCTAssertEqual("\(error)", "sluice.yml:1:1: expected a mapping of sections (key: value lines), found a list")
        }
    }

    func testMissingFileAndRelativePaths() throws {
        XCTAssertThrowsError(try ConfigFile.load("/nonexistent/sluice.yml")) { error in
            XCTAssertEqual((error as? SluiceError)?.exitStatus, .usage)
        }
        let config = try ConfigFile(yaml: "", path: "/repo/ci/sluice.yml")
        XCTAssertEqual(config.resolve("data/x.csv"), "/repo/ci/data/x.csv")
        XCTAssertEqual(config.resolve("/abs/x.csv"), "/abs/x.csv")
    }

    func testDurationForms() {
        XCTAssertEqual(ConfigDuration(parsing: "90")?.seconds, 90)
        XCTAssertEqual(ConfigDuration(parsing: "500ms")?.seconds, 0.5)
        XCTAssertEqual(ConfigDuration(parsing: "2h")?.seconds, 7200)
        XCTAssertNil(ConfigDuration(parsing: "10x"))
        XCTAssertNil(ConfigDuration(parsing: ""))
        XCTAssertNil(ConfigDuration(parsing: "1e400"), "infinite")
        XCTAssertNil(ConfigDuration(parsing: "99999999999h"), "beyond a year")
    }

    func testByteSizesParseOrRefuseButNeverTrap() {
        XCTAssertEqual(ByteSize(parsing: "500KB")?.bytes, 500_000)
        XCTAssertEqual(ByteSize(parsing: "2MiB")?.bytes, 2_097_152)
        XCTAssertEqual(ByteSize(parsing: "64M")?.bytes, 67_108_864)
        XCTAssertEqual(ByteSize(parsing: "1.5GB")?.bytes, 1_500_000_000)
        XCTAssertEqual(ByteSize(parsing: "123")?.bytes, 123)
        XCTAssertNil(ByteSize(parsing: "big"))
        // Each of these trapped (exit 132) when converted to a 64-bit count.
        XCTAssertNil(ByteSize(parsing: "1e30KB"))
        XCTAssertNil(ByteSize(parsing: "infKB"))
        XCTAssertNil(ByteSize(parsing: "nanMB"))
        XCTAssertNil(ByteSize(parsing: "9999999999999999999GiB"))
        XCTAssertNil(ByteSize(parsing: "9000000000GiB"), "overflows 64 bits after the unit")
        XCTAssertNil(ByteSize(parsing: "-5KB"))
    }

    func testNumbersMustBeFinite() {
        for value in [".nan", ".inf", "-.inf", "1e400"] {
            XCTAssertEqual(expectProblems("train:\n  command: [x]\n  steps: [{name: a, weight: \(value)}]\n").map(\.description),
                           ["sluice.yml:3:29: train.steps[0].weight: expected a finite number, found '\(value)'"], value)
        }
    }

    func testSuggestionThreshold() {
        XCTAssertEqual(Suggestion.closest(to: "thresold", among: ["threshold", "metric"]), "threshold")
        XCTAssertEqual(Suggestion.closest(to: "Metric", among: ["threshold", "metric"]), "metric")
        XCTAssertNil(Suggestion.closest(to: "banana", among: ["threshold", "metric"]))
    }

    func testCommandsAreListsOrStringsWithShell() throws {
        struct Step: Decodable { var command: ConfigCommand; var shell: Bool? }
        let list = try ConfigFile(yaml: "step:\n  command: [python, train.py, --name, \"a b\"]\n", path: "sluice.yml").decode(Step.self, at: "step")
        XCTAssertEqual(try list.command.command(shell: false, key: "step.command"), .arguments(["python", "train.py", "--name", "a b"]))
        let line = try ConfigFile(yaml: "step:\n  command: python train.py | tee log\n  shell: true\n", path: "sluice.yml").decode(Step.self, at: "step")
        XCTAssertEqual(try line.command.command(shell: line.shell ?? false, key: "step.command"), .shell("python train.py | tee log"))
        XCTAssertThrowsError(try line.command.command(shell: false, key: "step.command")) { error in
            XCTAssertEqual("\(error)", "step.command is a string; write it as a list ([python, train.py]) or set shell: true to run it through /bin/sh")
        }
    }
}
