import Core
import Tabular
import Validation

/// Rides along validation and splits the file: valid rows to one CSV, invalid rows to
/// another, so later stages (drift, training) see only rows that meet the contract while
/// the rejected ones stay in the run directory for a person to inspect.
final class Quarantine: RowVerdictObserver {
    let validPath: String
    let rejectedPath: String
    private var valid: CSVWriter?
    private var rejected: CSVWriter?

    /// Rows written to each side.
    var validCount: Int { valid?.recordCount ?? 0 }
    var rejectedCount: Int { rejected?.recordCount ?? 0 }

    init(validPath: String, rejectedPath: String) {
        self.validPath = validPath
        self.rejectedPath = rejectedPath
    }

    func begin(_ reader: TableReader) throws {
        valid = try CSVWriter(path: validPath, header: reader.header)
        rejected = try CSVWriter(path: rejectedPath, header: reader.header)
    }

    func observe(_ reader: TableReader) {}

    func rowChecked(_ reader: TableReader, valid isValid: Bool) throws {
        // Empty lines carry no data either way; dropping them keeps the output clean.
        guard reader.fieldCount > 0 else { return }
        try (isValid ? valid : rejected)?.write(reader)
    }

    /// The pass is over; the files stay unwritten until the stage `keep`s them.
    func finish() throws {}

    /// Writes both files in place, once the stage knows the run goes on with them.
    func keep() throws {
        try valid?.close()
        try rejected?.close()
    }

    /// Removes partial outputs after a failed pass, or a pass whose stage failed.
    func discard() {
        valid?.discard()
        rejected?.discard()
    }
}

/// Concatenates data files into one CSV for training, matching columns by name to the
/// first file's header, so a retrain learns from the reference plus the newest valid rows.
enum TrainingData {
    /// What `concatenate` wrote.
    struct Assembled: Equatable {
        /// Rows written: those with a label.
        var rows: Int
        /// Rows left out because their label is missing (a training command gets only rows
        /// it can learn from, as the built-in trainer reads them).
        var unlabelled: Int
    }

    /// Writes `files` into `output`, leaving out rows whose `label` is one of
    /// `missingValues`. A later file missing one of the first file's columns is a
    /// configuration error naming both.
    static func concatenate(_ files: [String], label: String, missingValues: [String], into output: String) throws -> Assembled {
        guard let first = files.first else { return Assembled(rows: 0, unlabelled: 0) }
        let missingLabel = CellTexts(missingValues)
        var unlabelled = 0
        let header = try TableReader(TableSource(path: first)).header
        let writer = try CSVWriter(path: output, header: header)
        do {
            for file in files {
                let reader = try TableReader(TableSource(path: file))
                let positions = Dictionary(reader.header.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
                let missing = header.filter { positions[$0] == nil }
                guard missing.isEmpty else {
                    throw Failure.usage("\(file) lacks the column(s) \(missing.joined(separator: ", ")) of \(first); training files must share their columns")
                }
                let order = header.map { positions[$0]! }
                let labelPosition = positions[label]
                while try reader.next() {
                    guard reader.fieldCount > 0 else { continue }
                    if let labelPosition, labelPosition >= reader.fieldCount || missingLabel.containsTrimmed(reader.field(labelPosition)) {
                        unlabelled += 1
                        continue
                    }
                    try writer.write(reader, columns: order)
                }
            }
            try writer.close()
        } catch {
            writer.discard()
            throw error
        }
        return Assembled(rows: writer.recordCount, unlabelled: unlabelled)
    }
}
