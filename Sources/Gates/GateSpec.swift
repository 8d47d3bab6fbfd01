import Config
import Core

/// One entry of the `gates:` list of `sluice.yml`.
///
/// An entry names a metric and one or more conditions; each condition becomes its own gate
/// result: `min`/`max` (absolute), `max_drop` (relative to the champion),
/// `not_significantly_worse` / `significantly_better` (the bootstrap verdict), and with
/// `slice` the floor or ceiling must hold on every value of that slice column. An entry with
/// `tests` demands that model tests passed; one with `check` demands clean data (no feature
/// leaking the label; holdout rows in the training data at most `max`, a fraction, default 0).
public struct GateSpec: Decodable, Equatable, Sendable {
    /// A data hygiene check a gate can demand.
    public enum Check: String, ConfigChoice, Sendable {
        case leakage
        case holdoutOverlap = "holdout_overlap"
    }

    public var name: String?
    public var metric: String?
    public var min: Double?
    public var max: Double?
    public var maxDrop: Double?
    public var notSignificantlyWorse: Bool?
    public var significantlyBetter: Bool?
    /// A slice column: the floor or ceiling applies to every value of it.
    public var slice: String?
    /// Slices with fewer rows are not judged (too small to mean anything).
    public var minRows: Int?
    /// `all`, or the name of one test suite, that must have passed.
    public var tests: String?
    /// A data hygiene check that must hold.
    public var check: Check?

    enum CodingKeys: String, CodingKey {
        case name, metric, min, max, slice, tests, check
        case maxDrop = "max_drop", notSignificantlyWorse = "not_significantly_worse"
        case significantlyBetter = "significantly_better", minRows = "min_rows"
    }

    public init(name: String? = nil, metric: String? = nil, min: Double? = nil, max: Double? = nil, maxDrop: Double? = nil, notSignificantlyWorse: Bool? = nil, significantlyBetter: Bool? = nil, slice: String? = nil, minRows: Int? = nil, tests: String? = nil, check: Check? = nil) {
        self.name = name
        self.metric = metric
        self.min = min
        self.max = max
        self.maxDrop = maxDrop
        self.notSignificantlyWorse = notSignificantlyWorse
        self.significantlyBetter = significantlyBetter
        self.slice = slice
        self.minRows = minRows
        self.tests = tests
        self.check = check
    }
}

/// The `gates:` section: a list of gates.
public typealias GatesSection = [GateSpec]
