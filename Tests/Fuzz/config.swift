// fuzz-module: Config
// The strict YAML decoder behind sluice.yml on arbitrary bytes, into a shape with every
// kind of value a section has (nested keys, lists, numbers, booleans, optionals, enums).
import Config
import Foundation

private struct Section: Decodable {
    enum Mode: String, Decodable { case mr, nightly }
    struct Layer: Decodable {
        var name: String
        var files: [String]
    }
    var name: String
    var threshold: Double?
    var retries: Int?
    var enabled: Bool?
    var mode: Mode?
    var layers: [Layer]?
    var parameters: [String: String]?
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let file = try? ConfigFile(yaml: text, path: "sluice.yml") else { return 0 }
    _ = try? file.decodeIfPresent(Section.self, at: "section")
    _ = try? file.decode(Section.self)
    return 0
}
