@testable import Tabular
import XCTest

/// Parquet's bit-packed runs (the RLE/bit-packing hybrid of levels and dictionary indices)
/// decode values of every width 1-32: most with one 8-byte load each, the run's last few
/// byte by byte. Values are packed here as the format specifies (least significant bit
/// first, 8 values per group) and must decode back, whatever the count within the run.
final class ParquetBitPackingTests: XCTestCase {
    /// `values` bit-packed at `width`, as one run (header, then the groups).
    private func run(_ values: [UInt32], width: Int) -> [UInt8] {
        let groups = (values.count + 7) / 8
        var bytes = [UInt8](repeating: 0, count: groups * width)
        for (index, value) in values.enumerated() {
            for bit in 0..<width where value >> UInt32(bit) & 1 == 1 {
                let position = index * width + bit
                bytes[position / 8] |= 1 << UInt8(position % 8)
            }
        }
        var header = [UInt8]()
        var rest = groups << 1 | 1
        while rest >= 0x80 {
            header.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        header.append(UInt8(rest))
        return header + bytes
    }

    func testEveryWidthDecodesWhatWasPacked() throws {
        var generator = SystemRandomNumberGenerator()
        for width in 1...32 {
            for count in [1, 7, 8, 9, 63, 64, 65, 1000] {
                let mask = width == 32 ? UInt32.max : (1 << UInt32(width)) - 1
                let values = (0..<count).map { _ in UInt32.random(in: 0...UInt32.max, using: &generator) & mask }
                let bytes = run(values, width: width)
                let decoded = try bytes.withUnsafeBufferPointer { buffer in
                    var cursor = ByteCursor(buffer)
                    return try ParquetEncoding.decodeHybrid(&cursor, width: width, count: count)
                }
                XCTAssertEqual(decoded.map { UInt32(bitPattern: $0) }, values, "width \(width), \(count) values")
            }
        }
    }
}
