import Foundation

/// Two independent pieces of work run on two threads, with the outcome of running them one
/// after the other: both results in order, or the first piece's error when it fails (the
/// second's only when the first succeeded), whichever finished first.
///
/// The first piece runs on the calling thread and the second on a thread of its own, so
/// neither runs inside a Dispatch apply: a parallel loop inside either (training's X·β,
/// validation's chunks) keeps its full width, where libdispatch narrows a nested apply
/// to one thread.
public enum SideBySide {
    public static func run<A, B>(_ first: () throws -> A, _ second: () throws -> B) throws -> (A, B) {
        try withoutActuallyEscaping(second) { second in
            let other = Background(second)
            let a = Result(catching: first)
            // Both pieces end before either outcome is given: the second never outlives the call.
            let b = other.result()
            return (try a.get(), try b.get())
        }
    }
}

/// A piece of work started on a thread of its own when made, its outcome taken later
/// (`result()` waits for it): work whose result is needed only some way on (`sluice run`
/// hashes the data files while the first stages run).
public final class Background<T>: @unchecked Sendable {
    // The thread writes the outcome before it signals, and `result()` reads it only after
    // waiting for that signal.
    private var body: (() throws -> T)?
    private var outcome: Result<T, Error>?
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var taken = false

    public init(_ body: @escaping () throws -> T) {
        self.body = body
        Thread { [self] in run() }.start()
    }

    private func run() {
        let result = Result(catching: body!)
        // The piece may be a caller's non-escaping closure (`SideBySide`): let go of it
        // before signalling, since the `Thread` (which holds this object) may outlive the call.
        body = nil
        outcome = result
        done.signal()
    }

    /// Waits for the piece to finish and gives its outcome (as often as asked).
    public func result() -> Result<T, Error> {
        lock.lock()
        defer { lock.unlock() }
        if !taken {
            done.wait()
            taken = true
        }
        return outcome!
    }
}
