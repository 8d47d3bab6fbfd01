import Foundation

/// Finds where a record of delimited text starts, from any byte offset (a "cut"), without
/// reading what comes before the cut: the shared logic for reading one CSV in byte ranges
/// (`--shard` on one file, parallel chunks of one file).
///
/// Whether the cut falls inside a quoted field cannot be read from the bytes before it
/// without reading them all. So the scan follows every state the reader (`TableReader`'s
/// RFC 4180 grammar, which takes a quote inside an unquoted field literally) could be in at
/// the cut, at once, and drops a reading when the bytes contradict it (text after a closing
/// quote, a quoted field open at the end of the data). The first offset at which every
/// reading left is at the start of a record is where a single pass starts a record too,
/// since the true reading is among them. Readings converge within a record or two of any
/// quoted field; with no quote ahead, the reading "inside a quoted field" never ends, so
/// after `window` bytes the answer of the readings outside quotes is taken
/// (`Finding.outsideQuotes`), which the caller must confirm: the reader of the bytes
/// before the cut ends its last record exactly there, or the guess was wrong.
///
/// Feed the bytes after the cut in order with `scan(_:)` until it returns a finding, then
/// `finish(atEndOfData:)` if the data or the window ran out first.
public struct RecordBoundary {
    /// Where the first record after the cut starts, as an offset from the cut.
    public enum Finding: Equatable, Sendable {
        /// Every reading of the bytes agrees: a record starts here.
        case agreed(Int)
        /// The readings did not converge within the window; a record starts here if the cut
        /// was outside quotes (the caller confirms it, see the type's notes).
        case outsideQuotes(Int)
        /// No reading fits the bytes after the cut (the text breaks the CSV grammar under
        /// every reading, or the window ran out with none outside quotes).
        case notFound
    }

    /// A state of the reader between two bytes.
    enum State: UInt8 {
        /// At the start of a record.
        case recordStart
        /// At the start of a field that is not the first.
        case fieldStart
        /// Inside an unquoted field.
        case unquoted
        /// Inside a quoted field.
        case quoted
        /// Just after a quote inside a quoted field: a closing quote, or the first of two.
        case quoteInQuoted
        /// Just after a carriage return that ended a record: a line feed here belongs to it.
        case afterCarriageReturn
    }

    /// A set of states, one bit each (`1 << state.rawValue`): the readings still possible.
    struct States: Equatable {
        var bits: UInt8 = 0
        func contains(_ state: State) -> Bool { bits & (1 << state.rawValue) != 0 }
        mutating func insert(_ state: State) { bits |= 1 << state.rawValue }
        mutating func remove(_ state: State) { bits &= ~(1 << state.rawValue) }
        var isEmpty: Bool { bits == 0 }
        /// A carriage return not followed by a line feed: the record started after it.
        mutating func settleCarriageReturn() {
            guard contains(.afterCarriageReturn) else { return }
            remove(.afterCarriageReturn)
            insert(.recordStart)
        }
        /// Whether every state in the set is `state` (false for an empty set).
        func only(_ state: State) -> Bool { bits == 1 << state.rawValue }
    }

    /// The default window: how far past the cut to look before falling back to the readings
    /// outside quotes. 1 MiB: a quoted field longer than that, cut in the middle, is rare.
    public static let defaultWindow = 1 << 20

    let delimiter: UInt8
    let quote: UInt8
    let window: Int
    /// The states reached by the readings that began outside a quoted field, and by those
    /// that began inside one (a state reached by both is in both).
    private var outside = States(), inside = States()
    /// Every state a reading may be in.
    private var readings: States { States(bits: outside.bits | inside.bits) }
    /// Bytes scanned so far.
    private var scanned = 0
    /// The first offset where every reading outside (inside) quotes was at a record start.
    private var outsideStart: Int?, insideStart: Int?

    /// Prepares a scan from a cut. `previous` is the byte just before the cut (nil when the
    /// cut is at the start of the data, which is a record start).
    public init(delimiter: UInt8, quote: UInt8, previous: UInt8?, window: Int = RecordBoundary.defaultWindow) {
        self.delimiter = delimiter
        self.quote = quote
        self.window = window
        let newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")
        switch previous {
        case nil: outside.insert(.recordStart)
        case carriageReturn?: outside.insert(.afterCarriageReturn)
        case newline?: outside.insert(.recordStart)
        case delimiter?: outside.insert(.fieldStart)
        default: outside.insert(.unquoted)  // a quote there may be a literal one in an unquoted field
        }
        if previous != nil { inside.insert(.quoted) }
        // After a quote, also just past a quote inside a quoted field (closing, or the first of two).
        if previous == quote { inside.insert(.quoteInQuoted) }
    }

    /// Scans the next bytes after the cut. Returns a finding once every reading agrees, or
    /// the window is used up; nil when more bytes are needed.
    public mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Finding? {
        for byte in bytes {
            if let finding = settle(at: scanned, next: byte) { return finding }
            step(byte)
            scanned += 1
            if readings.isEmpty { return .notFound }
            if scanned >= window { return fallback() }
        }
        return nil
    }

    /// The finding when no more bytes come: at the end of the data (every reading ends its
    /// record there, except one inside a quoted field, which the data leaves unterminated),
    /// or because the caller stopped early (the readings outside quotes decide).
    public mutating func finish(atEndOfData: Bool) -> Finding {
        guard atEndOfData else { return fallback() }
        outside.remove(.quoted)
        inside.remove(.quoted)
        switch (outside.isEmpty, inside.isEmpty) {
        case (true, true): return .notFound
        case (false, true): return .agreed(outsideStart ?? scanned)
        case (true, false): return .agreed(insideStart ?? scanned)
        case (false, false): return .agreed(scanned)  // both end their record with the data
        }
    }

    /// Resolves readings just past a carriage return against the byte that follows, then
    /// reports whether every reading is at a record start before `next`.
    private mutating func settle(at offset: Int, next: UInt8) -> Finding? {
        if next != UInt8(ascii: "\n") {
            outside.settleCarriageReturn()
            inside.settleCarriageReturn()
        }
        if outsideStart == nil && outside.only(.recordStart) { outsideStart = offset }
        if insideStart == nil && inside.only(.recordStart) { insideStart = offset }
        return readings.only(.recordStart) ? .agreed(offset) : nil
    }

    private func fallback() -> Finding {
        outsideStart.map { .outsideQuotes($0) } ?? .notFound
    }

    /// Moves every reading past `byte`, dropping those the byte contradicts; readings that
    /// reach the same state merge.
    private mutating func step(_ byte: UInt8) {
        var nextOutside = States(), nextInside = States()
        var remaining = readings.bits
        while remaining != 0 {
            let state = State(rawValue: UInt8(remaining.trailingZeroBitCount))!
            remaining &= remaining - 1
            guard let after = transition(state, byte) else { continue }
            if outside.contains(state) { nextOutside.insert(after) }
            if inside.contains(state) { nextInside.insert(after) }
        }
        outside = nextOutside
        inside = nextInside
        // Every reading of one side is contradicted: that side's earlier answer is void.
        if outside.isEmpty { outsideStart = nil }
        if inside.isEmpty { insideStart = nil }
    }

    /// The reader's grammar: the state after `byte`, or nil when the byte cannot follow.
    private func transition(_ state: State, _ byte: UInt8) -> State? {
        let newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")
        switch state {
        case .quoted:
            return byte == quote ? .quoteInQuoted : .quoted
        case .quoteInQuoted:
            if byte == quote { return .quoted }
            if byte == delimiter { return .fieldStart }
            if byte == newline { return .recordStart }
            if byte == carriageReturn { return .afterCarriageReturn }
            return nil
        case .afterCarriageReturn:
            // Only a line feed reaches here (anything else was settled to a record start).
            return .recordStart
        case .recordStart, .fieldStart, .unquoted:
            if byte == delimiter { return .fieldStart }
            if byte == newline { return .recordStart }
            if byte == carriageReturn { return .afterCarriageReturn }
            if byte == quote && state != .unquoted { return .quoted }
            return .unquoted
        }
    }
}

extension RecordBoundary {
    /// Scans `file` (of `size` bytes) from `cut` for the first record start after it, at most
    /// `window` bytes: the finding (an offset from the cut) and the bytes read. The one place
    /// that reads a file for a boundary: shares (`CSVByteShare`) and parallel chunks
    /// (`CSVChunks`) both come here.
    static func scan(_ file: FileHandle, from cut: Int, size: Int, delimiter: UInt8, quote: UInt8, window: Int) throws -> (Finding, Int) {
        if cut >= size { return (.agreed(size - cut), 0) }
        if cut <= 0 { return (.agreed(-cut), 0) }
        try file.seek(toOffset: UInt64(cut - 1))
        let previous = try file.read(upToCount: 1)?.first
        var scan = RecordBoundary(delimiter: delimiter, quote: quote, previous: previous, window: window)
        var read = 1
        while true {
            guard let chunk = try file.read(upToCount: min(64 << 10, window)), !chunk.isEmpty else {
                return (scan.finish(atEndOfData: true), read)
            }
            read += chunk.count
            if let finding = chunk.withUnsafeBytes({ scan.scan($0.bindMemory(to: UInt8.self)) }) { return (finding, read) }
        }
    }
}
