/// Counts of values: exact while there are at most `capacity` distinct ones; beyond that
/// either a Misra-Gries heavy-hitters summary (`.approximate`: every count is an
/// underestimate by at most `errorBound` ≤ n / (capacity + 1), and every value occurring
/// more than that is kept) or nothing (`.abandoned`, for numeric columns whose many
/// distinct values make a table of counts useless).
public struct FrequentItems<Value: Hashable & Codable & Sendable>: Sendable, Equatable {
    /// How far the counts can be trusted.
    public enum State: String, Codable, Sendable {
        /// Every value with its exact count.
        case exact
        /// The heavy hitters, each undercounted by at most `errorBound`.
        case approximate
        /// Too many distinct values; no counts kept.
        case abandoned
    }

    public let capacity: Int
    /// Whether overflowing the capacity abandons the counts instead of summarising them.
    public let abandonOnOverflow: Bool
    public private(set) var state: State = .exact
    public private(set) var counts: [Value: Int] = [:]
    /// The largest amount any count can be below the truth.
    public private(set) var errorBound = 0

    public init(capacity: Int, abandonOnOverflow: Bool = false) {
        self.capacity = max(capacity, 1)
        self.abandonOnOverflow = abandonOnOverflow
    }

    /// Counts made elsewhere: exact `counts`, or `nil` for counts abandoned on overflow.
    init(capacity: Int, abandonOnOverflow: Bool, counted: [Value: Int]?) {
        self.init(capacity: capacity, abandonOnOverflow: abandonOnOverflow)
        if let counted { counts = counted } else { abandon() }
    }

    /// A heavy-hitters summary made elsewhere by this type's rules (see `LabelHeavyHitters`).
    init(capacity: Int, heavyHitters counted: [Value: Int], approximate: Bool, errorBound: Int) {
        self.init(capacity: capacity)
        counts = counted
        state = approximate ? .approximate : .exact
        self.errorBound = errorBound
    }

    /// Counts one occurrence of `value`.
    @inline(__always)
    public mutating func add(_ value: Value, count: Int = 1) {
        if state == .abandoned { return }
        counts[value, default: 0] += count
        if counts.count > capacity { overflow() }
    }

    /// Adds another summary of a different part of the stream.
    public mutating func merge(_ other: FrequentItems<Value>) {
        if state == .abandoned { return }
        if other.state == .abandoned {
            abandon()
            return
        }
        for (value, count) in other.counts { counts[value, default: 0] += count }
        errorBound += other.errorBound
        if other.state == .approximate { state = .approximate }
        if counts.count > capacity { overflow() }
    }

    /// The values by decreasing count, ties in the order of their text.
    public func top(_ limit: Int) -> [(value: Value, count: Int)] {
        // Positions sorted by counts and texts made once: sorting the generic pairs
        // themselves, making two strings per comparison, was a seventh of writing a profile.
        let items = Array(counts)
        let tallies = items.map(\.value)
        let texts = items.map { "\($0.key)" }
        let order = tallies.indices.sorted { tallies[$0] != tallies[$1] ? tallies[$0] > tallies[$1] : texts[$0] < texts[$1] }
        return order.prefix(limit).map { (items[$0].key, items[$0].value) }
    }

    private mutating func overflow() {
        if abandonOnOverflow {
            abandon()
            return
        }
        // Batched Misra-Gries: wait until twice the capacity, then subtract the count ranked
        // just past `capacity` from every count and drop those that reach zero. Amortised
        // O(1) per value, and the decrement is charged to `errorBound`.
        state = .approximate
        guard counts.count >= 2 * capacity else { return }
        purge()
    }

    private mutating func purge() {
        let sorted = counts.values.sorted(by: >)
        let cut = sorted[capacity]
        counts = counts.compactMapValues { $0 > cut ? $0 - cut : nil }
        errorBound += cut
    }

    private mutating func abandon() {
        state = .abandoned
        counts = [:]
    }

    /// Keeps at most `capacity` values, for a compact serialised form.
    public mutating func trim() {
        if state == .approximate && counts.count > capacity { purge() }
    }
}

extension FrequentItems: Codable {
    private struct Item: Codable {
        var value: Value
        var count: Int
    }

    private enum CodingKeys: String, CodingKey { case capacity, abandonOnOverflow, state, errorBound, items }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        capacity = try container.decode(Int.self, forKey: .capacity)
        abandonOnOverflow = try container.decode(Bool.self, forKey: .abandonOnOverflow)
        state = try container.decode(State.self, forKey: .state)
        errorBound = try container.decode(Int.self, forKey: .errorBound)
        let items = try container.decode([Item].self, forKey: .items)
        counts = Dictionary(items.map { ($0.value, $0.count) }, uniquingKeysWith: +)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(capacity, forKey: .capacity)
        try container.encode(abandonOnOverflow, forKey: .abandonOnOverflow)
        try container.encode(state, forKey: .state)
        try container.encode(errorBound, forKey: .errorBound)
        try container.encode(top(counts.count).map { Item(value: $0.value, count: $0.count) }, forKey: .items)
    }
}
