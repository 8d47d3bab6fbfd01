import ReportModel
import Stats

/// Compares current data with reference data, feature by feature, and decides whether the
/// dataset drifted. The entry point for `sluice drift` and for the pipeline.
public enum DriftDetector {
    /// Compares two files, each a data file (CSV, TSV, JSON Lines, gzip) or a Sluice profile.
    public static func compare(reference: String, current: String, options: DriftOptions = DriftOptions()) throws -> DriftSummary {
        let referenceSide = try DriftSide.load(path: reference, options: options)
        let currentSide = try DriftSide.load(path: current, options: options)
        return compare(referenceSide, currentSide, options: options)
    }

    /// Compares two loaded sides.
    public static func compare(_ reference: DriftSide, _ current: DriftSide, options: DriftOptions = DriftOptions()) -> DriftSummary {
        var names = reference.profile.columns.map(\.name)
        for column in current.profile.columns where !names.contains(column.name) { names.append(column.name) }
        if !options.columns.isEmpty { names = names.filter { options.columns.contains($0) } }
        names = names.filter { !options.excludedColumns.contains($0) }

        var features: [FeatureDrift] = []
        var fromSketches = false
        for name in names {
            guard let before = reference.profile.column(name), let after = current.profile.column(name) else {
                let only = reference.profile.column(name) != nil ? "reference" : "current"
                let column = reference.profile.column(name) ?? current.profile.column(name)!
                features.append(FeatureDrift(
                    name: name, kind: column.kind.rawValue, method: .missingColumn, statistic: nil, pValue: nil,
                    threshold: 0, drifted: true,
                    missingRateReference: only == "reference" ? 0 : 1, missingRateCurrent: only == "current" ? 0 : 1,
                    note: "column only in the \(only) data"))
                continue
            }
            let comparison = FeatureComparison(name: name, reference: before, current: after, referenceSide: reference, currentSide: current, options: options)
            let feature = comparison.run()
            if feature.statistic != nil || feature.pValue != nil, comparison.usesSketches { fromSketches = true }
            features.append(feature)
        }
        // Features that could not be tested (no values on a side) do not count either way.
        let counted = features.filter { $0.statistic != nil || $0.pValue != nil || $0.drifted }
        let drifted = counted.filter(\.drifted).count
        let share = counted.isEmpty ? 0 : Double(drifted) / Double(counted.count)
        return DriftSummary(
            reference: reference.path, current: current.path,
            datasetDrift: !counted.isEmpty && share >= options.driftShare,
            driftShareThreshold: options.driftShare,
            driftedFeatures: drifted, totalFeatures: counted.count,
            fromSketches: fromSketches, features: features)
    }
}
