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

    /// A parallel loop inside either piece keeps two threads (libdispatch runs an apply
    /// nested in another on one): each iteration waits for the other to start.
    func testALoopInsideEitherPieceRunsOnSeveralThreads() throws {
        func twoAtOnce() -> Bool {
            let started = [DispatchSemaphore(value: 0), DispatchSemaphore(value: 0)]
            let met = MeetingCount()
            DispatchQueue.concurrentPerform(iterations: 2) { index in
                started[index].signal()
                if started[1 - index].wait(timeout: .now() + 10) == .success { met.add() }
            }
            return met.count == 2
        }
        let (a, b) = try SideBySide.run(twoAtOnce, twoAtOnce)
        XCTAssertTrue(a, "the first piece's loop ran on one thread")
        XCTAssertTrue(b, "the second piece's loop ran on one thread")
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

    /// Background work runs while the caller goes on (here it waits for the caller), and its
    /// outcome, value or error, can be taken more than once.
    func testBackgroundRunsWhileTheCallerGoesOnAndGivesItsOutcome() throws {
        let started = DispatchSemaphore(value: 0), go = DispatchSemaphore(value: 0)
        let work = Background { () -> Int in
            started.signal()
            guard go.wait(timeout: .now() + 10) == .success else { throw Stop(name: "never released") }
            return 7
        }
        XCTAssertEqual(started.wait(timeout: .now() + 10), .success, "started before its result was asked for")
        go.signal()
        XCTAssertEqual(try work.result().get(), 7)
        XCTAssertEqual(try work.result().get(), 7)
        let failing = Background { () throws -> Int in throw Stop(name: "hash") }
        for _ in 0..<2 {
            XCTAssertThrowsError(try failing.result().get()) { XCTAssertEqual($0 as? Stop, Stop(name: "hash")) }
        }
    }
}

/// A count several threads add to.
private final class MeetingCount: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    var count: Int { lock.lock(); defer { lock.unlock() }; return value }
    func add() { lock.lock(); value += 1; lock.unlock() }
}
