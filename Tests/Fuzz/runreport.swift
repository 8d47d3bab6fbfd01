// fuzz-module: Reports
// The run report (run.json) reader on arbitrary bytes; a report that reads also renders.
import Foundation
import Reports

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRunReport(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzInput.withFile(data, size, suffix: ".json") { path in
        guard let report = try? ReportFile.read(path) else { return }
        _ = try? MarkdownReport.render(report)
    }
    return 0
}
