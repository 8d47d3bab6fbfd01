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
