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
            let other = OtherThread(second)
            let thread = Thread { other.run() }
            thread.start()
            let a = Result(catching: first)
            // Both pieces end before either outcome is given: the second never outlives the call.
            let b = other.result()
            return (try a.get(), try b.get())
        }
    }
}

/// The second piece and its result, handed between the two threads: the thread writes the
/// result before it signals, and the caller reads it only after waiting for that signal.
private final class OtherThread<B>: @unchecked Sendable {
    private var body: (() throws -> B)?
    private var outcome: Result<B, Error>?
    private let done = DispatchSemaphore(value: 0)

    init(_ body: @escaping () throws -> B) {
        self.body = body
    }

    func run() {
        let result = Result(catching: body!)
        // The piece is the caller's non-escaping closure: let go of it before signalling,
        // since the `Thread` (which holds this object) may outlive the call.
        body = nil
        outcome = result
        done.signal()
    }

    /// Waits for the thread to finish the piece.
    func result() -> Result<B, Error> {
        done.wait()
        return outcome!
    }
}
