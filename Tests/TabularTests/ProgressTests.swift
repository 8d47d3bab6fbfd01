import Core
import Foundation
import Tabular
import TestSupport
import XCTest

/// A clock the test moves and a sink that keeps what was written.
private final class Recorder: @unchecked Sendable {
    private let lock = NSLock()
    private var now = Date(timeIntervalSince1970: 1_000_000)
    private var written: [String] = []

    var text: [String] { lock.lock(); defer { lock.unlock() }; return written }
    func advance(_ seconds: TimeInterval) { lock.lock(); now += seconds; lock.unlock() }

    func reporter(_ mode: ProgressReporter.Mode) -> ProgressReporter {
        var reporter = ProgressReporter(mode: mode)
        reporter.clock = { [self] in lock.lock(); defer { lock.unlock() }; return now }
        reporter.write = { [self] text in lock.lock(); written.append(text); lock.unlock() }
        return reporter
    }
}

final class ProgressTests: XCTestCase {
    private let total: Int64 = 100 << 20

    func testCILogsGetAPlainLineEveryTenSecondsWithRateAndETA() {
        let recorder = Recorder()
        let transfer = recorder.reporter(.log).start("validate data.csv", total: total)
        for second in 1...25 {
            recorder.advance(1)
            transfer.update(Int64(second) << 21)  // 2 MB a second
        }
        transfer.finish()
        XCTAssertEqual(recorder.text, [
            "validate data.csv: 20% 20.0/100.0 MB, 2.0 MB/s, ETA 0:40\n",
            "validate data.csv: 40% 40.0/100.0 MB, 2.0 MB/s, ETA 0:30\n",
            "validate data.csv: 100% 100.0/100.0 MB, 4.0 MB/s\n",
        ])
    }

    func testATerminalGetsOneRedrawnLineEndedAtTheFinish() {
        let recorder = Recorder()
        let transfer = recorder.reporter(.terminal).start("push", total: total)
        recorder.advance(0.1)
        transfer.update(1 << 20)
        recorder.advance(0.2)
        transfer.update(30 << 20)
        recorder.advance(4000)
        transfer.finish()
        XCTAssertEqual(recorder.text.count, 2, "the update within 0.2 s is not drawn")
        XCTAssertEqual(recorder.text[0], "\r\u{1B}[K" + "push: 30% 30.0/100.0 MB, 100.0 MB/s, ETA 0:01")
        XCTAssertTrue(recorder.text[1].hasPrefix("\r\u{1B}[K" + "push: 100% 100.0/100.0 MB,"), recorder.text[1])
        XCTAssertTrue(recorder.text[1].hasSuffix("\n"))
    }

    func testQuietAndSmallWorkSayNothingAndShortWorkOnlyItsEnd() {
        let recorder = Recorder()
        let quiet = recorder.reporter(.quiet).start("validate", total: total)
        recorder.advance(60)
        quiet.update(total / 2)
        quiet.finish()
        let small = recorder.reporter(.log).start("validate", total: 1 << 20)
        recorder.advance(60)
        small.update(1 << 19)
        small.finish()
        let short = recorder.reporter(.log).start("validate", total: total)
        recorder.advance(3)
        short.update(total)
        short.finish()
        XCTAssertEqual(recorder.text, ["validate: 100% 100.0/100.0 MB, 33.3 MB/s\n"], "quiet and under the 8 MB threshold: nothing; done within the first interval: the last line only")
    }

    func testETAFormats() {
        XCTAssertEqual(ProgressReporter.automatic(quiet: true).mode, .quiet)
        XCTAssertEqual(ProgressReporter.automatic(quiet: false, environment: ["SLUICE_PROGRESS_INTERVAL": "2.5"]).logInterval, 2.5)
        XCTAssertEqual(ProgressReporter.automatic(quiet: false, environment: ["SLUICE_PROGRESS_INTERVAL": "-1"]).logInterval, 10)
        let recorder = Recorder()
        let slow = recorder.reporter(.log).start("package", total: 10 << 30)
        recorder.advance(10)
        slow.update(1 << 20)
        XCTAssertEqual(recorder.text.last, "package: 0% 1.0/10240.0 MB, 0.1 MB/s, ETA 28:26:30\n")
    }

    /// A pass over a table reports the bytes its reader has consumed.
    func testReadProgressFollowsTheReader() throws {
        let directory = try TemporaryDirectory()
        var text = "id,value\n"
        for row in 0..<200_000 { text += "\(row),\(row % 97)\n" }
        let path = try directory.write("rows.csv", text)
        let recorder = Recorder()
        var reporter = recorder.reporter(.log)
        reporter.threshold = 0
        reporter.logInterval = 0
        let progress = ReadProgress("read rows.csv", path: path, reporter: reporter)
        let reader = try TableReader(TableSource(path: path))
        try progress.begin(reader)
        while try reader.next() {
            recorder.advance(0.001)
            progress.observe(reader)
        }
        try progress.finish()
        let size = Int64(text.utf8.count)
        XCTAssertEqual(recorder.text.count, 200_000 / 4096 + 1, "one line every 4096 records, and the last")
        XCTAssertTrue(recorder.text.allSatisfy { $0.hasPrefix("read rows.csv: ") })
        XCTAssertTrue(recorder.text.last!.contains("100% \(String(format: "%.1f", Double(size) / 1_048_576))/"), recorder.text.last!)
    }
}
