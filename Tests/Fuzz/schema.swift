// fuzz-module: Tabular
// The Table Schema decoder on arbitrary bytes; a schema that loads also parses a cell.
import Foundation
import Tabular

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSchema(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    guard let schema = try? TableSchema(json: bytes, source: "fuzz.json") else { return 0 }
    let cell: [UInt8] = Array("2024-01-02".utf8)
    for field in schema.fields { cell.withUnsafeBufferPointer { _ = field.parse($0) } }
    return 0
}
