// fuzz-module: OCI
// The tar reader on arbitrary bytes (as an uncompressed layer), extracted into a fresh
// directory that is removed afterwards.
import Foundation
import OCI

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTar(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzInput.withFile(data, size, suffix: ".tar") { path in
        let target = path + ".out"
        _ = try? Extract.layer(path, into: target)
        _ = try? FileManager.default.removeItem(atPath: target)
    }
    return 0
}
