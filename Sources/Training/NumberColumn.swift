/// A numeric column as read: while it has at most 256 distinct values (told apart by their
/// bits), a byte per row naming its value; past that, the numbers themselves. Counts,
/// scores and flags (most of a typical table's numeric columns) take an eighth of the
/// memory, and every row's number is the very one read.
struct NumberColumn {
    /// The distinct values in order of appearance, while there are at most 256.
    private var levels: [Double] = []
    private var levelOfRow: [UInt8] = []
    /// The numbers, once the column has more than 256 distinct values.
    private var numbers: [Double]?
    /// Open addressing on a value's bits: the level of slot `s` is `slotLevel[s]` (-1: free).
    private var slotBits: [UInt64] = []
    private var slotLevel: [Int16] = []

    var count: Int { numbers?.count ?? levelOfRow.count }

    mutating func append(_ number: Double) {
        guard numbers == nil else { return numbers!.append(number) }
        if slotBits.isEmpty {
            slotBits = [UInt64](repeating: 0, count: 512)
            slotLevel = [Int16](repeating: -1, count: 512)
        }
        let bits = number.bitPattern
        var slot = Int((bits &* 0x9E37_79B9_7F4A_7C15) >> 55)
        while slotLevel[slot] >= 0, slotBits[slot] != bits { slot = (slot + 1) & 511 }
        if slotLevel[slot] < 0 {
            guard levels.count < 256 else {
                // The 257th value: from here on, numbers.
                var all = [Double](); all.reserveCapacity(levelOfRow.count * 2 + 1)
                for level in levelOfRow { all.append(levels[Int(level)]) }
                all.append(number)
                (numbers, levels, levelOfRow, slotBits, slotLevel) = (all, [], [], [], [])
                return
            }
            slotBits[slot] = bits
            slotLevel[slot] = Int16(levels.count)
            levels.append(number)
        }
        levelOfRow.append(UInt8(slotLevel[slot]))
    }

    /// Calls `body` with each row's number in row order.
    @inline(__always)
    func forEach(_ body: (Double) -> Void) {
        if let numbers {
            for number in numbers { body(number) }
        } else {
            levels.withUnsafeBufferPointer { levels in
                for level in levelOfRow { body(levels[Int(level)]) }
            }
        }
    }

    /// The column as a design block of `transform`ed numbers (levels transformed once each,
    /// which gives each row what transforming its number gives), leaving this column empty.
    mutating func block(_ transform: (Double) -> Double) -> Design.Block {
        defer { self = NumberColumn() }
        guard var numbers else { return .levels(levelOfRow, values: levels.map(transform)) }
        self.numbers = nil
        for row in numbers.indices { numbers[row] = transform(numbers[row]) }
        return .numeric(numbers)
    }
}
