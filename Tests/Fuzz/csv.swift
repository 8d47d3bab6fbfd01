// fuzz-module: Tabular
// The CSV reader on arbitrary bytes: records and fields until the end or a read error.
import Foundation
import Tabular

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzInput.withFile(data, size, suffix: ".csv") { readEveryField($0, format: .csv) }
    return 0
}
