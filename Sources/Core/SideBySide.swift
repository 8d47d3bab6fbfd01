import Foundation

/// Two independent pieces of work run on two threads, with the outcome of running them one
/// after the other: both results in order, or the first piece's error when it fails (the
/// second's only when the first succeeded), whichever finished first.
public enum SideBySide {
    public static func run<A, B>(_ first: () throws -> A, _ second: () throws -> B) throws -> (A, B) {
        var a: Result<A, Error>?
        var b: Result<B, Error>?
        withoutActuallyEscaping(first) { first in
            withoutActuallyEscaping(second) { second in
                // Each thread writes only its own result; concurrentPerform returns after both.
                DispatchQueue.concurrentPerform(iterations: 2) { index in
                    if index == 0 { a = Result(catching: first) } else { b = Result(catching: second) }
                }
            }
        }
        return (try a!.get(), try b!.get())
    }
}
