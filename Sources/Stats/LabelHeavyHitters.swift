/// The labels a column holds beyond its exact `LabelTable`, counted exactly as
/// `FrequentItems<String>` counts them (the same Misra-Gries counts, purges and error
/// bound), but found by their bytes: building a `String` and running Swift's seeded hasher
/// on every such value was 4% of profiling a file with a date column.
///
/// Labels are one label when they are equal as `String`s: ASCII bytes are their own key;
/// other bytes are keyed by the NFC form of their text (invalid UTF-8 repaired first), as
/// `String`'s equality and hashing are. A label keeps the spelling it was first seen in,
/// as a dictionary keeps its first key.
struct LabelHeavyHitters {
    /// The labels kept once the summary is approximate (`FrequentItems.capacity`).
    let capacity: Int
    private var table = LabelTable(capacity: .max)
    /// First spellings that differ from their key (not NFC, or invalid UTF-8), by entry.
    private var spellings: [Int: String] = [:]
    private var approximate = false
    private var errorBound = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
    }

    /// Counts one occurrence of `field`, whose `Hashing.hash` is `hash` (the caller has it
    /// already: hashing each such value twice was measurable).
    @inline(__always)
    mutating func add(_ field: UnsafeBufferPointer<UInt8>, hash: UInt64) {
        if Self.isASCII(field) {
            table.add(field, hash: hash)
        } else {
            addText(field)
        }
        if table.count > capacity {
            approximate = true
            if table.count >= 2 * capacity { purge() }
        }
    }

    private mutating func addText(_ field: UnsafeBufferPointer<UInt8>) {
        let text = String(decoding: field, as: UTF8.self)
        let key = text._nfcCodeUnits
        let before = table.count
        guard let entry = key.withUnsafeBufferPointer({ table.add($0, hash: Hashing.hash($0)) }) else { return }
        if table.count > before, !text.utf8.elementsEqual(key) { spellings[entry] = text }
    }

    /// As `FrequentItems`: wait until twice the capacity, then subtract the count ranked
    /// just past `capacity` from every count and drop those that reach zero.
    private mutating func purge() {
        let ranked = (0..<table.count).map(table.count(of:)).sorted(by: >)
        let cut = ranked[capacity]
        let renumbered = table.purge(cut: cut)
        var kept: [Int: String] = [:]
        for (entry, spelling) in spellings {
            if let number = renumbered[entry] { kept[number] = spelling }
        }
        spellings = kept
        errorBound += cut
    }

    /// The summary, as `FrequentItems<String>` adding every label in turn would hold it.
    var frequentItems: FrequentItems<String> {
        var counted: [String: Int] = [:]
        for entry in 0..<table.count {
            counted[spellings[entry] ?? String(decoding: table.label(entry), as: UTF8.self), default: 0] += table.count(of: entry)
        }
        return FrequentItems(capacity: capacity, heavyHitters: counted, approximate: approximate, errorBound: errorBound)
    }

    @inline(__always)
    private static func isASCII(_ field: UnsafeBufferPointer<UInt8>) -> Bool {
        var high: UInt8 = 0
        for byte in field { high |= byte }
        return high < 0x80
    }
}
