import Config
import Pipeline
import XCTest

final class ModeSettingsTests: XCTestCase {
    private func decode(_ yaml: String) throws -> ModeSettings {
        try ConfigFile(yaml: yaml, path: "sluice.yml").decode(ModeSettings.self, at: "modes")
    }

    func testDefaultsPerMode() throws {
        let settings = ModeSettings()
        XCTAssertFalse(settings.mr.promote, "merge requests never promote by default")
        XCTAssertTrue(settings.mr.post)
        XCTAssertTrue(settings.nightly.promote)
        XCTAssertTrue(settings.nightly.triggers.contains(.schedule))
        XCTAssertFalse(settings.mr.triggers.contains(.schedule))
        XCTAssertTrue(settings.mr.triggers.contains(.changedPaths))
    }

    func testKeysOverrideOnlyWhatTheyName() throws {
        let settings = try decode("""
        modes:
          nightly:
            promote: false
          mr:
            triggers: [changed_paths, force]
        """)
        XCTAssertFalse(settings.nightly.promote)
        XCTAssertTrue(settings.nightly.push, "unnamed keys keep the mode's default")
        XCTAssertEqual(settings.mr.triggers, [.changedPaths, .force])
        XCTAssertEqual(settings.push, .pushDefault)
    }

    func testMisspeltModeAndTriggerAreLocatedErrors() {
        XCTAssertThrowsError(try decode("modes:\n  nigthly:\n    push: true\n")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("sluice.yml:2:3"), text)
            XCTAssertTrue(text.contains("did you mean 'nightly'"), text)
        }
        XCTAssertThrowsError(try decode("modes:\n  mr:\n    triggers: [drfit]\n")) { error in
            XCTAssertTrue("\(error)".contains("sluice.yml:3"), "\(error)")
        }
    }

    func testPromoteWithoutPushIsRejected() {
        XCTAssertThrowsError(try decode("modes:\n  push:\n    promote: true\n    push: false\n")) { error in
            XCTAssertTrue("\(error)".contains("promote: true needs push: true"), "\(error)")
        }
    }
}
