// fuzz-module: Tabular
// The JSON Lines reader on arbitrary bytes.
import Foundation
import Tabular

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONLines(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzInput.withFile(data, size, suffix: ".jsonl") { readEveryField($0, format: .jsonLines) }
    return 0
}
