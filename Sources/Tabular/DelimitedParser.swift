// RFC 4180 parsing: quoted fields, doubled quotes, embedded newlines, CRLF, LF or CR endings.
import CByteScan

extension TableReader {
    private static let newline = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")

    /// Outcome of one attempt to parse a record from the bytes in the buffer.
    private enum Attempt { case record, needMoreBytes, endOfData }

    /// Parses the next record. Returns false at the end of the data.
    func nextDelimitedRecord() throws -> Bool {
        if replayCurrentRecord {
            replayCurrentRecord = false
            return true
        }
        if nextIndexedRecord() { return true }
        while true {
            switch try parseDelimitedRecord() {
            case .record: return true
            case .endOfData: return false
            case .needMoreBytes: try fill()
            }
        }
    }

    /// Tries to parse one whole record starting at `position`. Nothing is committed unless
    /// the whole record is in the buffer, so a refill simply restarts the attempt.
    private func parseDelimitedRecord() throws -> Attempt {
        let delimiter = source.delimiter
        let quote = source.quote
        let newline = Self.newline
        let carriageReturn = Self.carriageReturn
        let bytes = buffer
        let end = self.end
        var i = position
        if i == end { return atEOF ? .endOfData : .needMoreBytes }

        var fields = 0
        var linesInRecord = 0
        var highBits: UInt8 = 0
        var wideHighBits: UInt64 = 0
        let delimiterLanes = WordScan.lanes(delimiter)
        // The 64-byte block last scanned: where it starts, its stop bytes, delimiters,
        // quotes and non-ASCII bytes as bit masks; non-ASCII bytes of this record seen in
        // blocks.
        var blockStart = i &- 64
        var blockStops: UInt64 = 0
        var blockDelimiters: UInt64 = 0
        var blockQuotes: UInt64 = 0
        var blockHigh: UInt64 = 0
        var blockHighBits: UInt64 = 0
        var escapes = false

        // An empty line is a record without fields, as Python's csv module reads it.
        if bytes[i] == newline || bytes[i] == carriageReturn {
            var next = i + 1
            if bytes[i] == carriageReturn {
                if next == end && !atEOF { return .needMoreBytes }
                if next < end && bytes[next] == newline { next += 1 }
            }
            commit(fieldCount: 0, nextPosition: next, lines: 1, highBits: 0, escapes: false)
            return .record
        }

        while true {
            ensureBoundsCapacity(fields + 1)
            if i < end && bytes[i] == quote {
                // Quoted field: runs to the next quote not followed by another quote.
                i += 1
                let start = i
                var hasEscapes = false
                while true {
                    if i == end {
                        if atEOF { throw TableReadError(path: source.path, kind: .unterminatedQuote(line: nextLine)) }
                        return .needMoreBytes
                    }
                    let c = bytes[i]
                    if c == quote {
                        if i + 1 == end && !atEOF { return .needMoreBytes }
                        if i + 1 < end && bytes[i + 1] == quote {
                            hasEscapes = true
                            i += 2
                            continue
                        }
                        break
                    }
                    if c == newline { linesInRecord += 1 }
                    highBits |= c
                    i += 1
                }
                starts[fields] = start
                ends[fields] = i
                escaped[fields] = hasEscapes
                escapes = escapes || hasEscapes
                i += 1
                if i < end {
                    let c = bytes[i]
                    if c != delimiter && c != newline && c != carriageReturn {
                        throw TableReadError(path: source.path, kind: .textAfterQuote(line: nextLine + linesInRecord, column: fields + 1))
                    }
                }
            } else {
                var start = i
                // Sixty-four bytes at a time (`sluice_scan_block`: SSE2 bit masks) while a whole
                // block is in the buffer; the block stays loaded for the fields after this
                // one. Near the end of the buffer, eight bytes at a time, then bytewise.
                var found = false
                while true {
                    var offset = i &- blockStart
                    if offset >= 64 {
                        guard i &+ 64 <= end else { break }
                        let masks = sluice_scan_block(bytes + i, delimiter, quote)
                        blockStart = i
                        blockStops = masks.stops
                        blockDelimiters = masks.delimiters
                        blockQuotes = masks.quotes
                        blockHigh = masks.high
                        offset = 0
                    }
                    let ahead = blockStops & (~0 &<< UInt64(offset))
                    if ahead != 0 {
                        let stop = ahead.trailingZeroBitCount
                        // Non-ASCII bytes before the stop: this record's (the block starts
                        // inside it), so the record's UTF-8 gets checked.
                        blockHighBits |= blockHigh & ((1 &<< UInt64(stop)) &- 1)
                        i = blockStart &+ stop
                        found = true
                        // The fields after this one, while each ends at a delimiter and
                        // the next starts without a quote and ends inside the same block:
                        // from the masks alone, without the per-field checks below.
                        var last = stop
                        guard last < 63, blockDelimiters &>> UInt64(last) & 1 != 0 else { break }
                        // A block ends at most 64 fields; room for them (and the one after)
                        // is made once, so the bounds' pointers stay in registers.
                        ensureBoundsCapacity(fields &+ 65)
                        let starts = self.starts
                        let ends = self.ends
                        let escaped = self.escaped
                        while last < 63, blockDelimiters &>> UInt64(last) & 1 != 0,
                              blockQuotes &>> UInt64(last &+ 1) & 1 == 0,
                              case let after = blockStops & (~1 &<< UInt64(last)), after != 0 {
                            starts[fields] = start
                            ends[fields] = i
                            escaped[fields] = false
                            fields &+= 1
                            last = after.trailingZeroBitCount
                            blockHighBits |= blockHigh & ((1 &<< UInt64(last)) &- 1)
                            start = i &+ 1
                            i = blockStart &+ last
                        }
                        break
                    }
                    blockHighBits |= blockHigh
                    i = blockStart &+ 64
                }
                while !found && i &+ 8 <= end {
                    let word = UInt64(littleEndian: UnsafeRawPointer(bytes + i).loadUnaligned(as: UInt64.self))
                    let stops = WordScan.zeroLanes(word ^ delimiterLanes) | WordScan.zeroLanes(word ^ WordScan.newlineLanes) | WordScan.zeroLanes(word ^ WordScan.carriageReturnLanes)
                    if stops != 0 {
                        let lane = stops.trailingZeroBitCount &>> 3
                        wideHighBits |= word & WordScan.lanesBelow(lane)
                        i &+= lane
                        found = true
                        break
                    }
                    wideHighBits |= word
                    i &+= 8
                }
                if !found {
                    while i < end {
                        let c = bytes[i]
                        if c == delimiter || c == newline || c == carriageReturn { break }
                        highBits |= c
                        i += 1
                    }
                }
                starts[fields] = start
                ends[fields] = i
                escaped[fields] = false
            }
            fields += 1

            if i == end {
                if !atEOF { return .needMoreBytes }
                commit(fieldCount: fields, nextPosition: i, lines: linesInRecord + 1, highBits: Self.highBits(highBits, wideHighBits, blockHighBits), escapes: escapes)
                return .record
            }
            let c = bytes[i]
            if c == delimiter {
                i += 1
                if i == end {
                    if !atEOF { return .needMoreBytes }
                    // A trailing delimiter at the very end of the data opens one empty field.
                    ensureBoundsCapacity(fields + 1)
                    starts[fields] = i
                    ends[fields] = i
                    escaped[fields] = false
                    commit(fieldCount: fields + 1, nextPosition: i, lines: linesInRecord + 1, highBits: Self.highBits(highBits, wideHighBits, blockHighBits), escapes: escapes)
                    return .record
                }
                continue
            }
            // Line end: CRLF, LF or a lone CR.
            i += 1
            if c == carriageReturn {
                if i == end && !atEOF { return .needMoreBytes }
                if i < end && bytes[i] == newline { i += 1 }
            }
            commit(fieldCount: fields, nextPosition: i, lines: linesInRecord + 1, highBits: Self.highBits(highBits, wideHighBits, blockHighBits), escapes: escapes)
            return .record
        }
    }

    /// 0x80 when a record has a non-ASCII byte, from the three ways its bytes were scanned:
    /// byte by byte, in words (high bits per lane) and in blocks (a bit per byte).
    @inline(__always)
    private static func highBits(_ bytes: UInt8, _ words: UInt64, _ blocks: UInt64) -> UInt8 {
        bytes | WordScan.anyHighBit(words) | (blocks == 0 ? 0 : 0x80)
    }

    /// Makes a fully parsed record current: unescapes doubled quotes in place (when some
    /// field has them: `escapes`) and checks UTF-8.
    func commit(fieldCount: Int, nextPosition: Int, lines: Int, highBits: UInt8, escapes: Bool) {
        fieldBase = buffer
        self.fieldCount = fieldCount
        line = nextLine
        nextLine += lines
        let recordStart = position
        position = nextPosition
        let quote = source.quote
        if escapes {
            for index in 0..<fieldCount where escaped[index] {
                var write = starts[index]
                var read = starts[index]
                let stop = ends[index]
                while read < stop {
                    buffer[write] = buffer[read]
                    read += buffer[read] == quote ? 2 : 1
                    write += 1
                }
                ends[index] = write
            }
        }
        if highBits & 0x80 != 0,
           !isValidUTF8(UnsafeBufferPointer(start: buffer + recordStart, count: nextPosition - recordStart)) {
            problem = .invalidUTF8
        }
    }
}

/// Finding bytes eight at a time in a 64-bit word (SIMD within a register): a lane is one
/// byte, and a word XORed with a byte repeated in every lane has a zero lane where it held it.
enum WordScan {
    // Literals rather than stored constants, which Swift would initialise lazily behind a
    // check on every use.
    static var newlineLanes: UInt64 { 0x0A0A_0A0A_0A0A_0A0A }
    static var carriageReturnLanes: UInt64 { 0x0D0D_0D0D_0D0D_0D0D }

    /// `byte` in every lane.
    @inline(__always)
    static func lanes(_ byte: UInt8) -> UInt64 { 0x0101_0101_0101_0101 &* UInt64(byte) }

    /// The high bit of each zero lane of `word` set. Lanes above the first zero lane may be
    /// set falsely (a borrow runs upwards), so only the lowest set lane is to be trusted.
    @inline(__always)
    static func zeroLanes(_ word: UInt64) -> UInt64 {
        (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
    }

    /// A mask of the `count` lowest lanes (0 to 7).
    @inline(__always)
    static func lanesBelow(_ count: Int) -> UInt64 {
        count == 0 ? 0 : ~0 &>> UInt64(64 &- 8 &* count)
    }

    /// 0x80 when some lane of `word` has its high bit set (a non-ASCII byte), else 0.
    @inline(__always)
    static func anyHighBit(_ word: UInt64) -> UInt8 {
        word & 0x8080_8080_8080_8080 == 0 ? 0 : 0x80
    }
}

/// Whether `bytes` is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var iterator = bytes.makeIterator()
    var decoder = UTF8()
    while true {
        switch decoder.decode(&iterator) {
        case .scalarValue: continue
        case .emptyInput: return true
        case .error: return false
        }
    }
}
