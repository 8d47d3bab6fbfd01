import Core
import Foundation
import XCTest

final class SideBySideTests: XCTestCase {
    private struct Stop: Error, Equatable { let name: String }

    func testReturnsBothResultsInOrder() throws {
        let (a, b) = try SideBySide.run({ 1 }, { "two" })
        XCTAssertEqual(a, 1)
        XCTAssertEqual(b, "two")
    }

    /// Each piece waits for the other to start: this only finishes when they run at once.
    func testRunsBothAtOnce() throws {
        let first = DispatchSemaphore(value: 0), second = DispatchSemaphore(value: 0)
        let (a, b) = try SideBySide.run({ () -> Bool in
            first.signal()
            return second.wait(timeout: .now() + 10) == .success
        }, { () -> Bool in
            second.signal()
            return first.wait(timeout: .now() + 10) == .success
        })
        XCTAssertTrue(a && b)
    }

    /// The first piece's error wins even when the second fails sooner; the second's is
    /// reported only when the first succeeded.
    func testFailuresAreReportedInSequentialOrder() {
        XCTAssertThrowsError(try SideBySide.run({ () throws -> Int in usleep(50_000); throw Stop(name: "first") },
                                                { () throws -> Int in throw Stop(name: "second") })) { error in
            XCTAssertEqual(error as? Stop, Stop(name: "first"))
        }
        XCTAssertThrowsError(try SideBySide.run({ 1 }, { () throws -> Int in throw Stop(name: "second") })) { error in
            XCTAssertEqual(error as? Stop, Stop(name: "second"))
        }
    }
}
