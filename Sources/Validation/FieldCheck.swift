import Foundation
import Tabular

/// One schema field's checks compiled for the hot loop: its column, its missing-value
/// markers, and its constraints in the forms that are cheap to test on bytes.
final class FieldCheck {
    let field: SchemaField
    let name: String
    let parser: CellParser
    /// `parser` without reference counting, for the hot loop (`checks` keeps it alive).
    let unretainedParser: Unmanaged<CellParser>
    /// The missing-value markers are just the empty cell (the common case).
    let onlyEmptyIsMissing: Bool
    /// The data column this field reads, or nil when the data lacks it.
    let column: Int?
    let missing: MissingValues
    let required: Bool
    let unique: Bool
    /// Whether any constraint besides `required` and `unique` is set.
    let hasValueConstraints: Bool
    private let minimum: CellValue?
    private let maximum: CellValue?
    private let exclusiveMinimum: CellValue?
    private let exclusiveMaximum: CellValue?
    private let checksLength: Bool
    private let hasPattern: Bool
    private let regex: RegularPattern?
    private let textEnum: TextMembers?
    private let typedEnum: EnumMembers?
    /// The per-cell work this field needs, chosen once for its type and constraints.
    let plan: CellPlan
    /// The only cells this field accepts, when its checks ask nothing else and they are
    /// short: a `string` field whose one value constraint is an `enum`, a `boolean` field
    /// without constraints (its true and false values). Empty otherwise.
    let acceptedWords: ShortWords
    /// A `date` field in the ISO format without value constraints.
    let readsPlainISODates: Bool
    /// An `integer` field whose one value constraint is an `enum` of consecutive integers
    /// (`[0, 1]`): its members from first to last.
    let consecutiveIntegerMembers: ClosedRange<Int64>?

    init(field: SchemaField, column: Int?, missing: MissingValues) {
        self.field = field
        name = field.name
        parser = field.parser
        unretainedParser = Unmanaged.passUnretained(field.parser)
        onlyEmptyIsMissing = missing.onlyEmpty
        self.column = column
        self.missing = missing
        let constraints = field.constraints
        required = constraints.required
        unique = constraints.unique
        minimum = constraints.minimum
        maximum = constraints.maximum
        exclusiveMinimum = constraints.exclusiveMinimum
        exclusiveMaximum = constraints.exclusiveMaximum
        checksLength = constraints.minLength != nil || constraints.maxLength != nil
        // A loaded schema's pattern compiles (the loader checked it); one built in code may
        // not, and then no cell can match it (see `violations`).
        hasPattern = constraints.pattern != nil
        regex = constraints.pattern.flatMap { try? RegularPattern($0) }
        let isText = field.type == .string || field.type == .any
        textEnum = isText ? constraints.enumValues.map(TextMembers.init) : nil
        typedEnum = isText ? nil : constraints.enumValues.map { EnumMembers($0.compactMap(field.parse)) }
        var valueConstraints = constraints
        valueConstraints.required = false
        valueConstraints.unique = false
        hasValueConstraints = !valueConstraints.isEmpty
        plan = CellPlan(parser: field.parser, valueConstraints: valueConstraints, unique: constraints.unique)
        var beyondEnum = valueConstraints
        beyondEnum.enumValues = nil
        if let members = constraints.enumValues, beyondEnum.isEmpty, field.parser.acceptsEveryCell {
            acceptedWords = ShortWords(members.map { Array($0.utf8) })
        } else if !hasValueConstraints, let words = field.parser.booleanWords {
            acceptedWords = ShortWords(words)
        } else {
            acceptedWords = .none
        }
        readsPlainISODates = !hasValueConstraints && field.parser.readsISODates
        consecutiveIntegerMembers = beyondEnum.isEmpty && field.parser.numericKind == .integer ? constraints.enumValues.flatMap { Self.consecutiveIntegers($0, field) } : nil
    }

    deinit { acceptedWords.deallocate() }

    /// The integers `members` name (read as `field` reads them, as the enum's members
    /// are), from first to last, when each is one and they follow one another with no gap.
    private static func consecutiveIntegers(_ members: [String], _ field: SchemaField) -> ClosedRange<Int64>? {
        let integers = Set(members.compactMap { member -> Int64? in
            if case .integer(let value)? = field.parse(member) { return value }
            return nil
        }).sorted()
        guard let first = integers.first, let last = integers.last, integers.count == members.count,
              last.subtractingReportingOverflow(first) == (Int64(integers.count - 1), false) else { return nil }
        return first...last
    }

    /// Whether the cell is a missing value.
    @inline(__always)
    func isMissing(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        onlyEmptyIsMissing ? bytes.isEmpty : missing.contains(bytes)
    }

    /// Reads the cell as the field's type without touching reference counts.
    @inline(__always)
    func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> CellValue? {
        unretainedParser._withUnsafeGuaranteedRef { $0.parse(bytes) }
    }

    /// A stored value (Parquet) as the field's type, when that needs no text (`CellParser.value(of:)`).
    @inline(__always)
    func valueOfStored(_ stored: StoredValue) -> CellValue? {
        unretainedParser._withUnsafeGuaranteedRef { $0.value(of: stored) }
    }

    /// Reads a `number` cell without touching reference counts (`plan` is `.number`).
    @inline(__always)
    func number(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        unretainedParser._withUnsafeGuaranteedRef { $0.number(bytes) }
    }

    /// Reads an `integer` cell without touching reference counts (`plan` is `.integer`).
    @inline(__always)
    func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        unretainedParser._withUnsafeGuaranteedRef { $0.integer(bytes) }
    }

    /// Whether a present, well-typed cell keeps every constraint: the hot path, which
    /// builds nothing.
    @inline(__always)
    func accepts(_ value: CellValue, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if let bound = minimum, Self.outside(value, bound, { $0 < 0 }) { return false }
        if let bound = maximum, Self.outside(value, bound, { $0 > 0 }) { return false }
        if let bound = exclusiveMinimum, Self.outside(value, bound, { $0 <= 0 }) { return false }
        if let bound = exclusiveMaximum, Self.outside(value, bound, { $0 >= 0 }) { return false }
        if checksLength || hasPattern { return false }
        if let textEnum { return textEnum.contains(bytes) }
        if let typedEnum { return typedEnum.contains(value) }
        return true
    }

    /// The constraints a present, well-typed cell breaks, each with a message saying what
    /// was expected, in frictionless's order.
    func violations(_ value: CellValue, _ bytes: UnsafeBufferPointer<UInt8>) -> [(constraint: String, message: String)] {
        let constraints = field.constraints
        var found: [(String, String)] = []
        if constraints.minLength != nil || constraints.maxLength != nil {
            let length = Self.characterCount(bytes)
            if let minimum = constraints.minLength, length < minimum {
                found.append(("minLength", "has \(length) characters; expected at least \(minimum)"))
            }
            if let maximum = constraints.maxLength, length > maximum {
                found.append(("maxLength", "has \(length) characters; expected at most \(maximum)"))
            }
        }
        let nan = value.isNaN ? "is not a number, so " : ""
        if let bound = constraints.minimum, Self.outside(value, bound, { $0 < 0 }) {
            found.append(("minimum", nan.isEmpty ? "is below the minimum \(field.text(of: bound))" : nan + "not at or above the minimum \(field.text(of: bound))"))
        }
        if let bound = constraints.maximum, Self.outside(value, bound, { $0 > 0 }) {
            found.append(("maximum", nan.isEmpty ? "is above the maximum \(field.text(of: bound))" : nan + "not at or below the maximum \(field.text(of: bound))"))
        }
        if let bound = constraints.exclusiveMinimum, Self.outside(value, bound, { $0 <= 0 }) {
            found.append(("exclusiveMinimum", nan + (nan.isEmpty ? "is " : "") + "not above the exclusive minimum \(field.text(of: bound))"))
        }
        if let bound = constraints.exclusiveMaximum, Self.outside(value, bound, { $0 >= 0 }) {
            found.append(("exclusiveMaximum", nan + (nan.isEmpty ? "is " : "") + "not below the exclusive maximum \(field.text(of: bound))"))
        }
        if let pattern = constraints.pattern {
            if let regex {
                if !regex.matches(bytes) {
                    found.append(("pattern", "does not match the pattern \(pattern)"))
                }
            } else {
                found.append(("pattern", "cannot match the pattern \(pattern), which is not a valid regular expression"))
            }
        }
        if let allowed = constraints.enumValues {
            let member: Bool
            if let textEnum {
                member = textEnum.contains(bytes)
            } else {
                member = typedEnum?.contains(value) ?? true
            }
            if !member {
                let list = allowed.count > 12 ? allowed.prefix(12).joined(separator: ", ") + ", ... (\(allowed.count) values)" : allowed.joined(separator: ", ")
                found.append(("enum", "is not one of the allowed values: \(list)"))
            }
        }
        return found
    }

    /// Whether `value` breaks a bound: its order against `bound` is one `breaks` refuses. NaN
    /// is within no bound (frictionless reports each bound a NaN cell has).
    @inline(__always)
    static func outside(_ value: CellValue, _ bound: CellValue, _ breaks: (Int) -> Bool) -> Bool {
        if let order = CellValue.compare(value, bound) { return breaks(order) }
        return value.isNaN
    }

    /// Characters as Table Schema counts them (Unicode scalars): UTF-8 bytes that do not
    /// continue a sequence.
    static func characterCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        for byte in bytes where byte & 0xC0 != 0x80 { count += 1 }
        return count
    }
}

/// The members of a text `enum` as bytes: a cell is compared only with members of its
/// length, with `memcmp`, not through generic `elementsEqual` over two collection types.
struct TextMembers {
    private let members: [[UInt8]]

    init(_ values: [String]) {
        members = values.map { Array($0.utf8) }
    }

    @inline(__always)
    func contains(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = bytes.count
        for member in members where member.count == count {
            if count == 0 { return true }
            let equal = member.withUnsafeBufferPointer { memcmp($0.baseAddress!, bytes.baseAddress!, count) == 0 }
            if equal { return true }
        }
        return false
    }
}

/// The typed members of an `enum`: a few are compared one by one, which is cheaper per
/// cell than hashing the value; many are hashed.
enum EnumMembers {
    /// A few integers (an `integer` field's enum), compared as `Int64`s.
    case fewIntegers([Int64])
    case few([CellValue])
    case many(Set<CellValue>)

    init(_ members: [CellValue]) {
        let integers = members.compactMap { member -> Int64? in
            if case .integer(let value) = member { return value }
            return nil
        }
        if members.count <= 8 && integers.count == members.count {
            self = .fewIntegers(integers)
        } else {
            self = members.count <= 8 ? .few(members) : .many(Set(members))
        }
    }

    @inline(__always)
    func contains(_ value: CellValue) -> Bool {
        switch self {
        case .fewIntegers(let members):
            guard case .integer(let integer) = value else { return false }
            return members.contains(integer)
        case .few(let members): return members.contains(value)
        case .many(let members): return members.contains(value)
        }
    }
}

/// The work a present cell of one field needs, compiled once per column so that the hot
/// loop neither builds a `CellValue` nor switches on one for the common cases. Anything the
/// special cases do not cover (other types, `unique`, enums, patterns, lengths) takes the
/// general path through `CellParser.parse` and `FieldCheck.accepts`.
enum CellPlan {
    /// A plain `string` or `any` field with no value constraints: every cell is valid.
    case presence
    /// A `number` field whose only constraints (if any) are bounds.
    case number(Bounds<Double>?)
    /// An `integer` field whose only constraints (if any) are integer bounds.
    case integer(Bounds<Int64>?)
    /// Anything else: `CellParser.parse`, then `FieldCheck.accepts`.
    case general

    init(parser: CellParser, valueConstraints: FieldConstraints, unique: Bool) {
        var others = valueConstraints
        others.minimum = nil
        others.maximum = nil
        others.exclusiveMinimum = nil
        others.exclusiveMaximum = nil
        let boundsOnly = !unique && others.isEmpty
        let hasBounds = !valueConstraints.isEmpty
        switch parser.numericKind {
        case _ where !boundsOnly:
            self = .general
        case .number?:
            self = hasBounds ? Bounds(numbers: valueConstraints).map { .number($0) } ?? .general : .number(nil)
        case .integer?:
            self = hasBounds ? Bounds(integers: valueConstraints).map { .integer($0) } ?? .general : .integer(nil)
        case nil:
            self = parser.acceptsEveryCell && !hasBounds ? .presence : .general
        }
    }
}

/// A numeric field's bounds as one closed interval: an exclusive bound becomes the inclusive
/// bound one step inside it, which is exact for integers and for doubles (the next double).
/// NaN is within no interval of doubles.
struct Bounds<Value: Comparable> {
    let lower: Value
    let upper: Value

    /// `read` gives a bound's value (nil: not of this kind), `above` and `below` the first
    /// value inside an exclusive bound (nil: there is none). nil when a bound gives nil.
    init?(_ constraints: FieldConstraints, lowest: Value, highest: Value, read: (CellValue) -> Value?, above: (Value) -> Value?, below: (Value) -> Value?) {
        var lower = lowest
        var upper = highest
        if let bound = constraints.minimum {
            guard let value = read(bound) else { return nil }
            lower = Swift.max(lower, value)
        }
        if let bound = constraints.exclusiveMinimum {
            guard let value = read(bound).flatMap(above) else { return nil }
            lower = Swift.max(lower, value)
        }
        if let bound = constraints.maximum {
            guard let value = read(bound) else { return nil }
            upper = Swift.min(upper, value)
        }
        if let bound = constraints.exclusiveMaximum {
            guard let value = read(bound).flatMap(below) else { return nil }
            upper = Swift.min(upper, value)
        }
        self.lower = lower
        self.upper = upper
    }

    @inline(__always)
    func contains(_ value: Value) -> Bool { value >= lower && value <= upper }
}

extension Bounds where Value == Double {
    /// A `number` field's bounds; nil when one is not a finite number.
    init?(numbers constraints: FieldConstraints) {
        self.init(constraints, lowest: -.infinity, highest: .infinity, read: { bound in
            guard case .number(let value) = bound, value.isFinite else { return nil }
            return value
        }, above: { $0.nextUp }, below: { $0.nextDown })
    }
}

extension Bounds where Value == Int64 {
    /// An `integer` field's bounds; nil when one is not an integer or an exclusive bound has
    /// no integer inside it.
    init?(integers constraints: FieldConstraints) {
        self.init(constraints, lowest: .min, highest: .max, read: { bound in
            guard case .integer(let value) = bound else { return nil }
            return value
        }, above: { $0 == .max ? nil : $0 + 1 }, below: { $0 == .min ? nil : $0 - 1 })
    }
}

/// A few byte strings of at most 16 bytes each, compared with a cell as two 8-byte words
/// read from the cell's padded buffer. Kept in memory the `FieldCheck` owns, so that a
/// `ColumnStep` holding it stays a plain value (no reference counting when copied).
struct ShortWords {
    struct Word {
        let count: Int
        let low: UInt64
        let high: UInt64
    }

    private let words: UnsafeMutableBufferPointer<Word>

    /// No words: nothing is a member.
    static let none = ShortWords(words: UnsafeMutableBufferPointer(start: nil, count: 0))

    private init(words: UnsafeMutableBufferPointer<Word>) { self.words = words }

    /// `values`, or `none` when there are none or more than 16, or one is longer than 16 bytes.
    init(_ values: [[UInt8]]) {
        guard !values.isEmpty, values.count <= 16, values.allSatisfy({ $0.count <= 16 }) else {
            self = .none
            return
        }
        words = .allocate(capacity: values.count)
        for (index, value) in values.enumerated() {
            let padded = value + Array(repeating: 0, count: 16 - value.count)
            let (low, high) = padded.withUnsafeBytes { ($0.loadUnaligned(as: UInt64.self), $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) }
            words[index] = Word(count: value.count, low: UInt64(littleEndian: low), high: UInt64(littleEndian: high))
        }
    }

    var isEmpty: Bool { words.isEmpty }

    func deallocate() { words.deallocate() }

    /// Whether `bytes` is one of the words. `bytes` is followed by
    /// `TableReader.fieldPadding` readable bytes (16 or more).
    @inline(__always)
    func contains(padded bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = bytes.count
        guard count <= 16, let base = bytes.baseAddress else { return false }
        let raw = UnsafeRawPointer(base)
        // The cell's bytes only: the first `count` in memory order.
        var low = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
        var high = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        if count < 8 {
            low &= (1 &<< UInt64(count &* 8)) &- 1
            high = 0
        } else if count < 16 {
            high &= (1 &<< UInt64((count &- 8) &* 8)) &- 1
        }
        for word in words where word.count == count && word.low == low && word.high == high { return true }
        return false
    }
}
