import Foundation

/// Runs work items on a bounded number of threads and rethrows the first failure.
public enum Parallel {
    public static func forEach<T>(_ items: [T], width: Int, _ body: @escaping (T) throws -> Void) throws {
        guard !items.isEmpty else { return }
        let state = State()
        let group = DispatchGroup()
        for _ in 0..<max(1, min(width, items.count)) {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                while let position = state.claim(below: items.count) {
                    do { try body(items[position]) } catch { state.fail(error) }
                }
            }
        }
        group.wait()
        if let failure = state.failure { throw failure }
    }

    /// The next item to take and the first failure, shared by the workers.
    private final class State: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0
        private(set) var failure: Error?

        /// The next position, or nil when all are taken or one failed.
        func claim(below count: Int) -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard failure == nil, next < count else { return nil }
            next += 1
            return next - 1
        }

        func fail(_ error: Error) {
            lock.lock()
            if failure == nil { failure = error }
            lock.unlock()
        }
    }
}
