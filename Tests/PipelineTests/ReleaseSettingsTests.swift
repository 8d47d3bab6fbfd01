import Config
import Core
import OCI
import Packaging
import Pipeline
import TestSupport
import XCTest

/// Where the package, push and promote stages' settings come from: flags (or what
/// `sluice run` passes in their place), then sluice.yml, then the CI, then defaults. One
/// resolution for the commands and the run.
final class ReleaseSettingsTests: XCTestCase {
    var temp: TemporaryDirectory!

    override func setUpWithError() throws {
        temp = try TemporaryDirectory()
    }

    private func sources(_ yaml: String?, environment: [String: String] = [:], workingDirectory: String? = nil) throws -> SettingsSources {
        let file = try yaml.map { try ConfigFile(yaml: $0, path: temp.file("sluice.yml")) }
        return SettingsSources(file: file, environment: environment, workingDirectory: workingDirectory ?? temp.path)
    }

    private func registries(_ target: Reference?) throws -> Registries {
        try Registries(options: RegistryClient.Options(), parallel: 1, cacheDirectory: temp.file("oci"))
    }

    private func package(_ flags: PackageFlags, _ yaml: String?, environment: [String: String] = [:]) throws -> PackageSettings {
        try PackageSettings.resolve(flags, sources(yaml, environment: environment), registries: registries)
    }

    func testFlagsWinOverTheSectionAndPathsResolveWhereTheyWereWritten() throws {
        let yaml = """
        package:
          layers:
            - {name: code, files: ["src:/app/src"]}
          env: {A: "1", B: "2"}
          layout: images/candidate
          push: registry.example.com/team/churn:candidate
        """
        var flags = PackageFlags()
        flags.spec.env = ["B": "3"]
        flags.spec.tag = "v2"
        let settings = try package(flags, yaml)
        XCTAssertEqual(settings.spec.env, ["A": "1", "B": "3"], "env maps merge, the flag's value winning")
        XCTAssertEqual(settings.spec.tag, "v2")
        XCTAssertEqual(settings.layout, temp.file("images/candidate"), "a path in sluice.yml is relative to its directory")
        XCTAssertEqual(settings.spec.layout, settings.layout, "the packager writes where the settings say")
        XCTAssertEqual(settings.push, try Reference(parsing: "registry.example.com/team/churn:candidate"))
        XCTAssertEqual(settings.directory, temp.path)

        flags.spec.layout = "elsewhere"
        let elsewhere = try PackageSettings.resolve(flags, sources(yaml, workingDirectory: "/work/checkout"), registries: registries)
        XCTAssertEqual(elsewhere.layout, "/work/checkout/elsewhere", "a flag's path is relative to the working directory")
    }

    func testTheDefaultLayoutIsBesideTheConfiguration() throws {
        XCTAssertEqual(try package(PackageFlags(), "data: {reference: r.csv, current: c.csv}\n").layout, temp.file(".sluice/image"))
        XCTAssertNil(try package(PackageFlags(), nil).push, "nothing pushed without a push reference")
    }

    func testTheModelGoesLastInPlaceOfTheSectionsModelLayer() throws {
        let yaml = """
        package:
          layers:
            - {name: model, files: ["old-model:/app/model"]}
            - {name: code, files: ["src:/app/src"]}
        """
        var flags = PackageFlags()
        flags.model = "out/model"
        let settings = try package(flags, yaml)
        XCTAssertEqual(settings.spec.layers?.map(\.name), ["code", "model"])
        XCTAssertEqual(settings.spec.layers?.last?.files, [FileMapping(source: temp.file("out/model") + "/", target: "/model")])

        flags.spec.layers = [LayerSpec(name: "model", files: [FileMapping(source: "m", target: "/m")])]
        XCTAssertThrowsError(try package(flags, yaml)) { error in
            XCTAssertEqual((error as? SluiceError)?.exitStatus, .usage)
            XCTAssertTrue("\(error)".contains("--model out/model and --layer model="), "\(error)")
        }
    }

    func testProvenanceFlagsWinOverTheCIsVariables() throws {
        let gitlab = ["GITLAB_CI": "true", "CI_COMMIT_SHA": "0123abc", "CI_PIPELINE_ID": "991", "CI_PROJECT_NAME": "churn", "SOURCE_DATE_EPOCH": "1700000000"]
        var provenance = try package(PackageFlags(), nil, environment: gitlab).provenance
        XCTAssertEqual(provenance.revision, "0123abc")
        XCTAssertEqual(provenance.runID, "991")
        XCTAssertEqual(provenance.title, "churn")
        XCTAssertEqual(provenance.created, 1_700_000_000)

        var flags = PackageFlags()
        flags.revision = "feed42"
        flags.runID = "run-7"
        flags.metrics = ["auc": 0.91]
        flags.dataHashes = ["reference.csv": "sha256:aa"]
        provenance = try package(flags, nil, environment: gitlab).provenance
        XCTAssertEqual(provenance.revision, "feed42")
        XCTAssertEqual(provenance.runID, "run-7")
        XCTAssertEqual(provenance.metrics, ["auc": 0.91])
        XCTAssertEqual(provenance.dataHashes, ["reference.csv": "sha256:aa"])
    }

    func testOutsideCITheRevisionIsTheCheckoutsHead() throws {
        let identity = ["GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@e"]
        for arguments in [["init", "-q", "-b", "main"], ["commit", "-q", "--allow-empty", "-m", "first"]] {
            let result = try runProcess("git", ["-C", temp.path] + arguments, environment: identity)
            XCTAssertEqual(result.status, 0, result.stderr)
        }
        let head = try runProcess("git", ["-C", temp.path, "rev-parse", "HEAD"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(try package(PackageFlags(), "data: {reference: r.csv, current: c.csv}\n").provenance.revision, head)
    }

    func testThePromotedTagIsTheFlagThenTheSectionThenChampion() throws {
        let image = try Reference(parsing: "registry.example.com/team/churn@sha256:" + String(repeating: "a", count: 64))
        let promote = { (tag: String?, yaml: String?) in
            try PromoteSettings.resolve(PromoteFlags(image: image, tag: tag), self.sources(yaml), registries: self.registries).tag
        }
        XCTAssertEqual(try promote(nil, nil), "champion")
        XCTAssertEqual(try promote(nil, "promote:\n  tag: production\n"), "production")
        XCTAssertEqual(try promote("canary", "promote:\n  tag: production\n"), "canary")
    }
}
