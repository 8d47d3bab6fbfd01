import Foundation

/// A HyperLogLog distinct-count sketch with 2^12 one-byte registers and Ertl's improved
/// estimator (2017), which needs no empirical bias tables and stays unbiased from a handful
/// of values to billions.
///
/// Error: the relative standard error is 1.04 / sqrt(4096) ≈ 1.6%; estimates fall within
/// 5% (about three standard errors) of the truth. Merging takes register-wise maxima, so
/// shards combine exactly as if one sketch had seen everything.
public struct HyperLogLog: Codable, Equatable, Sendable {
    /// log2 of the number of registers.
    public static let precision = 12
    /// The relative standard error of an estimate.
    public static let standardError = 1.04 / Double(1 << precision).squareRoot()

    /// Empty until the first value: a wide table's empty columns cost no registers.
    private var registers: [UInt8] = []

    public init() {}

    public static func == (lhs: HyperLogLog, rhs: HyperLogLog) -> Bool {
        if lhs.registers.isEmpty || rhs.registers.isEmpty { return (lhs.registers + rhs.registers).allSatisfy { $0 == 0 } }
        return lhs.registers == rhs.registers
    }

    /// Adds a value by its 64-bit hash (see `Hashing`).
    @inline(__always)
    public mutating func add(hash: UInt64) {
        let (index, rank) = Self.place(hash)
        set(register: index, atLeast: rank)
    }

    /// Adds numbers by their hashes (`Hashing.hash`), in one pass over the registers.
    public mutating func add(numbers: UnsafeBufferPointer<Double>) {
        if numbers.isEmpty { return }
        if registers.isEmpty { registers = [UInt8](repeating: 0, count: 1 << Self.precision) }
        registers.withUnsafeMutableBufferPointer { registers in
            for x in numbers {
                let (index, rank) = Self.place(Hashing.hash(x))
                if rank > registers[index] { registers[index] = rank }
            }
        }
    }

    /// The register a hash falls in and the rank it offers there.
    @inline(__always)
    private static func place(_ hash: UInt64) -> (index: Int, rank: UInt8) {
        let p = precision
        let rest = hash << UInt64(p)
        return (Int(hash >> UInt64(64 - p)), UInt8(min(rest.leadingZeroBitCount, 64 - p) + 1))
    }

    @inline(__always)
    private mutating func set(register index: Int, atLeast rank: UInt8) {
        if registers.isEmpty { registers = [UInt8](repeating: 0, count: 1 << Self.precision) }
        // Read first: most values raise no register, and only a write needs unique storage.
        if rank > registers[index] { registers[index] = rank }
    }

    /// Takes in everything another sketch saw.
    public mutating func merge(_ other: HyperLogLog) {
        if other.registers.isEmpty { return }
        if registers.isEmpty {
            registers = other.registers
            return
        }
        for index in registers.indices where other.registers[index] > registers[index] {
            registers[index] = other.registers[index]
        }
    }

    /// The estimated number of distinct values.
    public var estimate: Double {
        if registers.isEmpty { return 0 }
        let m = Double(registers.count)
        let q = 64 - Self.precision
        var histogram = [Double](repeating: 0, count: q + 2)
        for value in registers { histogram[Int(value)] += 1 }
        var z = m * tau(1 - histogram[q + 1] / m)
        for k in stride(from: q, through: 1, by: -1) { z = 0.5 * (z + histogram[k]) }
        z += m * sigma(histogram[0] / m)
        return (m * m / (2 * log(2.0))) / z
    }

    private func sigma(_ xIn: Double) -> Double {
        if xIn == 1 { return .infinity }
        var x = xIn, y = 1.0, z = xIn
        while true {
            x *= x
            let previous = z
            z += x * y
            y += y
            if z == previous { return z }
        }
    }

    private func tau(_ xIn: Double) -> Double {
        if xIn == 0 || xIn == 1 { return 0 }
        var x = xIn, y = 1.0, z = 1 - xIn
        while true {
            x = x.squareRoot()
            let previous = z
            y *= 0.5
            z -= (1 - x) * (1 - x) * y
            if z == previous { return z / 3 }
        }
    }

    /// Registers travel as base64: in format 2 either all 4096 (`registers`) or, when that is
    /// shorter, the non-zero ones as 3-byte (index, little-endian UInt16; rank) entries
    /// (`sparse`), so a column with few values writes a few dozen bytes. Format 1 wrote
    /// `registers` only, or "" for a sketch that saw nothing.
    private enum CodingKeys: String, CodingKey { case precision, registers, sparse }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let precision = try container.decode(Int.self, forKey: .precision)
        guard precision == Self.precision else {
            throw DecodingError.dataCorruptedError(forKey: .precision, in: container, debugDescription: "expected HyperLogLog precision \(Self.precision)")
        }
        if let text = try container.decodeIfPresent(String.self, forKey: .sparse) {
            guard let data = Data(base64Encoded: text), data.count % 3 == 0 else {
                throw DecodingError.dataCorruptedError(forKey: .sparse, in: container, debugDescription: "expected base64 of 3-byte HyperLogLog entries")
            }
            let bytes = [UInt8](data)
            for entry in stride(from: 0, to: bytes.count, by: 3) {
                let index = Int(bytes[entry]) | Int(bytes[entry + 1]) << 8
                guard index < 1 << precision, bytes[entry + 2] <= 64 - precision + 1 else {
                    throw DecodingError.dataCorruptedError(forKey: .sparse, in: container, debugDescription: "HyperLogLog entry out of range")
                }
                set(register: index, atLeast: bytes[entry + 2])
            }
            return
        }
        let text = try container.decode(String.self, forKey: .registers)
        if text.isEmpty { return } // a sketch that saw nothing (format 1)
        guard let data = Data(base64Encoded: text), data.count == 1 << precision else {
            throw DecodingError.dataCorruptedError(forKey: .registers, in: container, debugDescription: "expected \(1 << Self.precision) base64 HyperLogLog registers at precision \(Self.precision)")
        }
        registers = [UInt8](data)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.precision, forKey: .precision)
        let used = registers.indices.filter { registers[$0] != 0 }
        if used.count * 3 < registers.count || registers.isEmpty {
            var bytes = [UInt8]()
            bytes.reserveCapacity(used.count * 3)
            for index in used { bytes += [UInt8(index & 0xFF), UInt8(index >> 8), registers[index]] }
            try container.encode(Data(bytes).base64EncodedString(), forKey: .sparse)
        } else {
            try container.encode(Data(registers).base64EncodedString(), forKey: .registers)
        }
    }
}

/// Fast, well-mixed 64-bit hashes of field bytes and numbers, stable across runs and
/// machines (unlike Swift's seeded `Hasher`), so sketches from different jobs merge.
public enum Hashing {
    /// The murmur3 64-bit finaliser: every input bit affects every output bit.
    @inline(__always)
    public static func mix(_ value: UInt64) -> UInt64 {
        var x = value
        x ^= x >> 33
        x = x &* 0xFF51_AFD7_ED55_8CCD
        x ^= x >> 33
        x = x &* 0xC4CE_B9FE_1A85_EC53
        x ^= x >> 33
        return x
    }

    /// The hash of a number; 0 and -0 hash alike.
    @inline(__always)
    public static func hash(_ value: Double) -> UInt64 {
        mix((value == 0 ? 0 : value).bitPattern &+ 0x9E37_79B9_7F4A_7C15)
    }

    /// The hash of a byte string.
    @inline(__always)
    public static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        hash(bytes) { tail, count in
            var word: UInt64 = 0
            for index in 0..<count { word |= UInt64(tail[index]) << UInt64(index * 8) }
            return word
        }
    }

    /// `hash(_:)` of bytes followed by at least eight readable bytes (a field of
    /// `TableReader`'s padded buffer): the tail in one load, masked to the bytes it has.
    @inline(__always)
    public static func hash(padded bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        hash(bytes) { tail, count in
            UInt64(littleEndian: UnsafeRawPointer(tail).loadUnaligned(as: UInt64.self)) & ((1 as UInt64 &<< UInt64(truncatingIfNeeded: count &* 8)) &- 1)
        }
    }

    /// Eight bytes at a time, each word mixed in; the last 0 to 7 bytes as one word, first
    /// byte lowest, that `tail` reads from where they start.
    @inline(__always)
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>, tail: (UnsafePointer<UInt8>, Int) -> UInt64) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ (UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15)
        var index = 0
        let n = bytes.count
        guard let base = bytes.baseAddress else { return mix(h) }
        while index + 8 <= n {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            h = (h ^ mix(word)) &* 0x0000_0100_0000_01B3
            index += 8
        }
        h = (h ^ mix(tail(base + index, n &- index))) &* 0x0000_0100_0000_01B3
        return mix(h)
    }

    /// The hash of a string's UTF-8 bytes.
    public static func hash(_ text: String) -> UInt64 {
        var copy = text
        return copy.withUTF8 { hash($0) }
    }
}
