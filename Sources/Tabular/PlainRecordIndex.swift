// Plain CSV records taken from a structural index: one pass over the buffer
// (`sluice_index_plain_records`, AVX2 or SSE2 bit masks 64 bytes at a time) writes every field end
// and record end into a flat array, and records are then cut from it without looking at
// their bytes again or branching per field on the parser's state.
import CByteScan

/// The field ends of the plain records ahead of a reader's position: records ended by LF or
/// CRLF with no quote or other CR in them, so every delimiter ends a field and every line
/// end a record. The byte-exact reader (`parseDelimitedRecord`) reads everything else:
/// quoted fields, lone CRs, the last bytes of the buffer; the index resumes after it.
struct PlainRecordIndex {
    /// Entries as `sluice_index_plain_records` writes them: an offset in the read buffer and
    /// two flag bits.
    let entries: UnsafeMutablePointer<UInt32>
    /// Whether to index with AVX2 (32 bytes per instruction) rather than SSE2.
    let avx2: Int32
    /// Entries are `entries[cursor..<count]`; the next indexed record starts at `next` (a
    /// position in the read buffer), valid while the reader's `position` is there.
    var cursor = 0
    var count = 0
    var next = -1
    /// Records left to the byte-exact reader before the index is tried again, after an
    /// attempt found none (a file of quoted fields should not pay an attempt per record);
    /// it doubles with each attempt in a row that finds none.
    var pause = 0
    var misses = 0

    /// Asked of the CPU once.
    private static let cpuHasAVX2 = sluice_has_avx2()

    /// Entries per pass: 128 KiB, the field ends of about a tenth of a 1 MiB buffer.
    static let capacity = 1 << 15
    /// After attempts that found no record, the records read the byte-exact way first:
    /// 16, doubling up to 1,024.
    static let firstPause = 16
    static let longestPause = 1024

    init() {
        entries = .allocate(capacity: Self.capacity)
        avx2 = Self.cpuHasAVX2
    }

    func deallocate() { entries.deallocate() }

    /// Forgets the entries (the buffer's bytes moved).
    mutating func clear() {
        cursor = 0
        count = 0
    }

    /// An attempt found no record.
    mutating func missed() {
        pause = min(Self.firstPause << min(misses, 6), Self.longestPause)
        misses += 1
    }
}

extension TableReader {
    /// Takes the next record from the index, indexing the buffer from `position` when the
    /// index has no record there. False when the byte-exact reader is to read it.
    @inline(__always)
    func nextIndexedRecord() -> Bool {
        if plainIndex.cursor == plainIndex.count || plainIndex.next != position {
            if plainIndex.pause > 0 {
                plainIndex.pause &-= 1
                return false
            }
            guard indexPlainRecords() else { return false }
        }
        let entries = plainIndex.entries
        var cursor = plainIndex.cursor
        var starts = self.starts
        var ends = self.ends
        var capacity = boundsCapacity
        var start = position
        var fields = 0
        var entry: UInt32
        repeat {
            entry = entries[cursor]
            cursor &+= 1
            if fields == capacity {
                ensureBoundsCapacity(fields &+ 1)
                (starts, ends, capacity) = (self.starts, self.ends, boundsCapacity)
            }
            let stop = Int(entry & SLUICE_INDEX_OFFSET)
            starts[fields] = start
            ends[fields] = stop
            fields &+= 1
            start = stop &+ 1
        } while entry & SLUICE_INDEX_RECORD_END == 0
        // A CRLF record's last field ends at the CR; the next record starts after the LF.
        if entry & SLUICE_INDEX_CRLF != 0 { start &+= 1 }
        plainIndex.cursor = cursor
        plainIndex.next = start
        // An empty line is a record without fields, as the byte-exact reader reads it.
        if fields == 1 && ends[0] == starts[0] { fields = 0 }
        commit(fieldCount: fields, nextPosition: start, lines: 1, highBits: entry & SLUICE_INDEX_NON_ASCII != 0 ? 0x80 : 0, escapes: false)
        return true
    }

    /// The plain records of `width` fields ahead of the reader, up to `limit`, straight from
    /// the index and without moving the reader (`skip` moves it past those a caller is done
    /// with; `next()` reads the others). Only records `next()` would cut from the index
    /// as they are: all ASCII (no UTF-8 check due), exactly `width` fields, starting before
    /// the file offset `stop` when one is given (a chunk's end, `nextRecordOffset`). Nil
    /// when there is none, or when the reader reads a dataset or a replayed first record.
    public func plainRun(width: Int, limit: Int, stop: Int? = nil) -> PlainRecordRun? {
        guard source.format == .csv, dataset == nil, !replayCurrentRecord, width > 0 else { return nil }
        // `stop` as a position in the buffer.
        var bound = Int.max
        if let stop {
            guard let filePosition = bytes.filePosition else { return nil }
            bound = stop - (filePosition - end)
            guard position < bound else { return nil }
        }
        if plainIndex.cursor == plainIndex.count || plainIndex.next != position {
            // As `nextIndexedRecord`: a pause leaves the next records to the byte-exact reader.
            guard plainIndex.pause == 0, indexPlainRecords() else { return nil }
        }
        let entries = plainIndex.entries + plainIndex.cursor
        let available = plainIndex.count &- plainIndex.cursor
        let most = min(limit, available / width)
        // Each record's last entry ends it (and the record is all ASCII)...
        var records = 0
        while records < most {
            let last = entries[records &* width &+ width &- 1]
            guard last & SLUICE_INDEX_RECORD_END != 0, last & SLUICE_INDEX_NON_ASCII == 0 else { break }
            if records > 0, PlainRecordRun.after(entries[records &* width &- 1]) >= bound { break }
            records &+= 1
        }
        // ...and no other entry among theirs does: as many record ends as records (one sum,
        // which the compiler vectorises). Else a record of another width is among them:
        // record by record up to it.
        var ends: UInt32 = 0
        for offset in 0..<(records &* width) { ends &+= entries[offset] >> 31 }
        if Int(ends) != records {
            let candidates = records
            records = 0
            var at = 0
            while records < candidates {
                var inner: UInt32 = 0
                for offset in at..<(at &+ width &- 1) { inner |= entries[offset] }
                guard inner & SLUICE_INDEX_RECORD_END == 0, entries[at &+ width &- 1] & SLUICE_INDEX_RECORD_END != 0 else { break }
                at &+= width
                records &+= 1
            }
        }
        guard records > 0 else { return nil }
        return PlainRecordRun(bytes: UnsafePointer(buffer), entries: UnsafePointer(entries), width: width, count: records, firstStart: position)
    }

    /// Moves the reader past the first `count` records of `run` (from `plainRun`, with
    /// nothing read since), as `count` calls of `next()` would: record numbers, lines and
    /// the position advance; the current record's fields are then undefined until `next()`.
    public func skip(_ count: Int, of run: PlainRecordRun) {
        guard count > 0 else { return }
        let after = run.recordStart(count)
        recordNumber &+= count
        line = nextLine &+ count &- 1
        nextLine &+= count
        problem = nil
        fieldCount = 0
        position = after
        plainIndex.cursor &+= count &* run.width
        plainIndex.next = after
    }

    /// Indexes the plain records from `position`; false when there are none to take.
    @inline(never)
    private func indexPlainRecords() -> Bool {
        plainIndex.clear()
        let delimiter = source.delimiter
        let quote = source.quote
        var next = 0
        if delimiter != UInt8(ascii: "\n"), delimiter != UInt8(ascii: "\r"), delimiter != quote {
            plainIndex.count = sluice_index_plain_records(buffer, position, end, delimiter, quote, plainIndex.entries, PlainRecordIndex.capacity, &next, plainIndex.avx2)
        }
        plainIndex.next = position
        guard plainIndex.count > 0 else {
            plainIndex.missed()
            return false
        }
        plainIndex.misses = 0
        return true
    }
}

/// Plain records of one width taken from the structural index (`TableReader.plainRun`),
/// read cell by cell in any order: column by column, for a caller that checks a column's
/// cells one after another. Valid until the reader moves on (`skip`, `next()`).
public struct PlainRecordRun {
    @usableFromInline let bytes: UnsafePointer<UInt8>
    /// The first record's first entry; record r's are `width` entries from `r * width`.
    @usableFromInline let entries: UnsafePointer<UInt32>
    /// Fields per record.
    public let width: Int
    /// Records in the run.
    public let count: Int
    /// Where the first record starts in `bytes`.
    @usableFromInline let firstStart: Int

    /// `SLUICE_INDEX_OFFSET` and `SLUICE_INDEX_CRLF`, as literals for inlining elsewhere.
    @usableFromInline static var offsetMask: UInt32 { 0x1FFF_FFFF }
    @usableFromInline static var crlfShift: UInt32 { 29 }

    /// Cell `column` of record `record`; followed by `TableReader.fieldPadding` readable
    /// bytes (it is in the read buffer).
    @inlinable @inline(__always)
    public func cell(_ record: Int, _ column: Int) -> UnsafeBufferPointer<UInt8> {
        let at = record &* width &+ column
        let end = Int(entries[at] & Self.offsetMask)
        let start = at == 0 ? firstStart : Self.after(entries[at &- 1])
        return UnsafeBufferPointer(start: bytes + start, count: end &- start)
    }

    /// Cell `column` of record `record` when `column` is not the first: it starts after the
    /// delimiter that ends the cell before it.
    @inlinable @inline(__always)
    public func cell(_ record: Int, inner column: Int) -> UnsafeBufferPointer<UInt8> {
        let at = record &* width &+ column
        let end = Int(entries[at] & Self.offsetMask)
        let start = Int(entries[at &- 1] & Self.offsetMask) &+ 1
        return UnsafeBufferPointer(start: bytes + start, count: end &- start)
    }

    /// Where record `record` starts (`count`: where the run ends).
    @inlinable
    public func recordStart(_ record: Int) -> Int {
        record == 0 ? firstStart : Self.after(entries[record &* width &- 1])
    }

    /// The start of the field after the one `entry` ends: past its delimiter, LF or CRLF.
    @inlinable @inline(__always)
    static func after(_ entry: UInt32) -> Int {
        Int(entry & offsetMask) &+ 1 &+ Int((entry >> crlfShift) & 1)
    }
}
