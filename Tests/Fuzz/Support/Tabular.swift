import Tabular

/// Reads every field (and stored value, for Parquet) of every record, as validation and
/// profiling do, until the end or the first error that stops a read.
func readEveryField(_ path: String, format: TableSource.Format) {
    guard let reader = try? TableReader(TableSource(path: path, format: format)) else { return }
    while (try? reader.next()) == true {
        for index in 0..<reader.fieldCount {
            _ = reader.field(index).count
            _ = reader.storedValue(index)
        }
    }
}
