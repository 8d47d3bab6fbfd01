import Foundation
import TestSupport
import XCTest

/// Debian's chromium, run headless as the tests' real browser (ci/packages/reports.txt).
/// `--no-sandbox` because CI containers run tests as root, where chromium refuses its
/// sandbox; the page is our own report from a temporary directory. Every host name
/// resolves to nothing, so a page that tried to fetch anything would show it in its
/// resource list and fail, never reach the network.
struct Chromium {
    let path: String

    /// The browser, or a skip outside CI (under `CI=true` a missing browser fails).
    static func find() throws -> Chromium {
        for candidate in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] where FileManager.default.isExecutableFile(atPath: candidate) {
            return Chromium(path: candidate)
        }
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            XCTFail("chromium is not installed: run ci/setup (ci/packages/reports.txt)")
        }
        throw XCTSkip("chromium is not installed (ci/packages/reports.txt)")
    }

    private func flags(width: Int, height: Int) -> [String] {
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars",
         "--host-resolver-rules=MAP * ~NOTFOUND", "--window-size=\(width),\(height)"]
    }

    /// The DOM after the page's scripts ran.
    func dumpDOM(_ file: String, width: Int = 1280) throws -> String {
        let result = try runProcess(path, flags(width: width, height: 2000) + ["--dump-dom", URL(fileURLWithPath: file).absoluteString])
        guard result.status == 0 else { throw Failed(message: "chromium --dump-dom exited \(result.status): \(result.stderr.suffix(2000))") }
        return result.stdout
    }

    /// A PNG of the page at `width` pixels.
    func screenshot(_ file: String, to png: String, width: Int = 1280, height: Int = 3200) throws {
        let result = try runProcess(path, flags(width: width, height: height) + ["--screenshot=\(png)", URL(fileURLWithPath: file).absoluteString])
        guard result.status == 0, FileManager.default.fileExists(atPath: png) else {
            throw Failed(message: "chromium --screenshot exited \(result.status): \(result.stderr.suffix(2000))")
        }
    }

    struct Failed: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
