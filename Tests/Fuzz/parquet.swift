// fuzz-module: Tabular
// The Parquet reader on arbitrary bytes: footer (Thrift compact), page headers, levels,
// every encoding and codec, then every field and stored value of every row.
import Foundation
import Tabular

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParquet(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzInput.withFile(data, size, suffix: ".parquet") { readEveryField($0, format: .parquet) }
    return 0
}
