import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ReportModel

/// Reads the test cases of a JUnit XML file (pytest, JUnit, go-junit-report...).
final class JUnitReader: NSObject, XMLParserDelegate {
    private var suites: [String] = []
    private var current: TestCaseResult?
    private var message = ""
    private var results: [TestCaseResult] = []

    /// The cases of the file at `path`; the suite is the enclosing `testsuite`'s name.
    static func read(_ path: String, fallbackSuite: String) -> (cases: [TestCaseResult], problem: String?) {
        guard let data = FileManager.default.contents(atPath: path) else {
            return ([], "the JUnit file \(path) was not written")
        }
        let reader = JUnitReader()
        reader.suites = [fallbackSuite]
        let parser = XMLParser(data: data)
        parser.delegate = reader
        guard parser.parse() else {
            return (reader.results, "the JUnit file \(path) is not valid XML (line \(parser.lineNumber))")
        }
        return (reader.results, nil)
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch name {
        case "testsuite":
            suites.append(attributes["name"] ?? suites.last!)
        case "testcase":
            let caseName = [attributes["classname"], attributes["name"]].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ".")
            current = TestCaseResult(suite: suites.last!, name: caseName, status: .passed, durationSeconds: attributes["time"].flatMap(Double.init))
        case "failure", "error", "skipped":
            current?.status = name == "failure" ? .failed : name == "error" ? .error : .skipped
            message = attributes["message"] ?? ""
            current?.message = message.isEmpty ? nil : message
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "testsuite": if suites.count > 1 { suites.removeLast() }
        case "testcase":
            if let current { results.append(current) }
            current = nil
        default: break
        }
    }
}
