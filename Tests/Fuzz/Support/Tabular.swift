import Tabular

/// Reads every field (and stored value, for Parquet) of every record, as validation and
/// profiling do, until the end or the first error that stops a read.
func readEveryField(_ path: String, format: TableSource.Format) {
    guard let reader = try? TableReader(TableSource(path: path, format: format)) else { return }
    var runs = 0
    while true {
        // Runs of plain records from the structural index, every cell's bytes read, a part
        // of each skipped (as column-wise validation does), the rest left to `next()`.
        if let run = reader.plainRun(width: reader.header.count, limit: 1 + runs % 64) {
            for record in 0..<run.count { for column in 0..<run.width { _ = run.cell(record, column).last } }
            reader.skip(runs % 3 == 0 ? run.count : run.count / 2, of: run)
            runs += 1
        }
        guard (try? reader.next()) == true else { break }
        for index in 0..<reader.fieldCount {
            _ = reader.field(index).count
            _ = reader.storedValue(index)
        }
    }
}
