import Foundation

/// A JUnit XML test report, the format GitLab's merge request test panel and Jenkins's
/// `junit` step read: suites of test cases, each passed, failed, errored or skipped.
public struct JUnitDocument: Equatable, Sendable {
    /// One test case.
    public struct TestCase: Equatable, Sendable {
        public enum Outcome: Equatable, Sendable {
            case passed
            case failed(message: String)
            case error(message: String)
            case skipped(message: String)
        }
        public var classname: String
        public var name: String
        public var seconds: Double?
        public var outcome: Outcome
        /// Shown by CI next to the case: the values that decided it.
        public var output: String?

        public init(classname: String, name: String, seconds: Double? = nil, outcome: Outcome, output: String? = nil) {
            self.classname = classname
            self.name = name
            self.seconds = seconds
            self.outcome = outcome
            self.output = output
        }
    }

    /// A named group of test cases.
    public struct Suite: Equatable, Sendable {
        public var name: String
        public var cases: [TestCase]

        public init(name: String, cases: [TestCase]) {
            self.name = name
            self.cases = cases
        }
    }

    public var name: String
    public var suites: [Suite]

    public init(name: String, suites: [Suite]) {
        self.name = name
        self.suites = suites
    }

    /// The report as an XML document.
    public var xml: String {
        let escape = XMLText.escape
        let all = suites.flatMap(\.cases)
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"\(escape(name))\" tests=\"\(all.count)\" failures=\"\(count(all, failures: true))\" errors=\"\(count(all, failures: false))\">\n"
        for suite in suites {
            let skipped = suite.cases.filter { if case .skipped = $0.outcome { return true } else { return false } }.count
            out += "  <testsuite name=\"\(escape(suite.name))\" tests=\"\(suite.cases.count)\" failures=\"\(count(suite.cases, failures: true))\" errors=\"\(count(suite.cases, failures: false))\" skipped=\"\(skipped)\">\n"
            for test in suite.cases {
                let time = test.seconds.map { String(format: " time=\"%.3f\"", $0) } ?? ""
                out += "    <testcase classname=\"\(escape(test.classname))\" name=\"\(escape(test.name))\"\(time)>\n"
                switch test.outcome {
                case .passed: break
                case .failed(let message): out += "      <failure message=\"\(escape(message))\">\(escape(message))</failure>\n"
                case .error(let message): out += "      <error message=\"\(escape(message))\">\(escape(message))</error>\n"
                case .skipped(let message): out += "      <skipped message=\"\(escape(message))\"/>\n"
                }
                if let output = test.output { out += "      <system-out>\(escape(output))</system-out>\n" }
                out += "    </testcase>\n"
            }
            out += "  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }

    private func count(_ cases: [TestCase], failures: Bool) -> Int {
        cases.filter {
            switch $0.outcome {
            case .failed: return failures
            case .error: return !failures
            default: return false
            }
        }.count
    }
}

/// Escaping for XML attribute values and text, shared by every XML writer.
public enum XMLText {
    /// `text` with `& < > "` escaped; control characters XML 1.0 cannot carry are dropped.
    public static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n", "\t", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
