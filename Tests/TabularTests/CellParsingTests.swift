import Tabular
import XCTest

final class CellParsingTests: XCTestCase {
    private func field(_ type: FieldType, format: String = "default", decimalChar: String = ".", groupChar: String = "", bareNumber: Bool = true, trueValues: [String] = SchemaField.defaultTrueValues) throws -> SchemaField {
        try SchemaField(name: "f", type: type, format: format, trueValues: trueValues, decimalChar: decimalChar, groupChar: groupChar, bareNumber: bareNumber)
    }

    func testIntegers() throws {
        let f = try field(.integer)
        XCTAssertEqual(f.parse("42"), .integer(42))
        XCTAssertEqual(f.parse(" -7 "), .integer(-7), "frictionless strips white space around numbers")
        XCTAssertEqual(f.parse("+5"), .integer(5))
        XCTAssertNil(f.parse("4.0"))
        XCTAssertNil(f.parse("12a"))
        XCTAssertNil(f.parse(""))
        XCTAssertNil(f.parse("99999999999999999999"), "beyond 64 bits")
        XCTAssertEqual(try field(.integer, groupChar: ",").parse("1,234,567"), .integer(1_234_567))
        XCTAssertEqual(try field(.integer, bareNumber: false).parse("95%"), .integer(95))
    }

    func testNumbers() throws {
        let f = try field(.number)
        XCTAssertEqual(f.parse("3.25"), .number(3.25))
        XCTAssertEqual(f.parse("1e3"), .number(1000))
        XCTAssertEqual(f.parse(".5"), .number(0.5))
        XCTAssertEqual(f.parse("-INF"), .number(-.infinity))
        XCTAssertEqual(f.parse("Infinity"), .number(.infinity))
        guard case .number(let nan)? = f.parse("NaN") else { return XCTFail("NaN is a number") }
        XCTAssertTrue(nan.isNaN)
        XCTAssertNil(f.parse("1,5"))
        XCTAssertNil(f.parse("abc"))
        let european = try field(.number, decimalChar: ",", groupChar: ".")
        XCTAssertEqual(european.parse("1.234,5"), .number(1234.5))
        let comma = try field(.number, decimalChar: ",")
        XCTAssertNil(comma.parse("1.5"), "a point is refused when the decimal separator is a comma")
        let currency = try field(.number, groupChar: ",", bareNumber: false)
        XCTAssertEqual(currency.parse("€ 1,000.50"), .number(1000.5))
        XCTAssertEqual(currency.parse("-12.5 EUR"), .number(-12.5))
    }

    func testBooleans() throws {
        let f = try field(.boolean)
        XCTAssertEqual(f.parse("true"), .boolean(true))
        XCTAssertEqual(f.parse("0"), .boolean(false))
        XCTAssertNil(f.parse("yes"))
        XCTAssertEqual(try field(.boolean, trueValues: ["yes"]).parse("yes"), .boolean(true))
    }

    func testDates() throws {
        let f = try field(.date)
        XCTAssertEqual(f.parse("1970-01-02"), .date(1))
        XCTAssertEqual(f.parse("2024-02-29"), .date(19782))
        XCTAssertEqual(f.parse("2024-1-5"), f.parse("2024-01-05"), "strptime reads one-digit months and days")
        XCTAssertNil(f.parse("2023-02-29"))
        XCTAssertNil(f.parse("2024-02-30"))
        XCTAssertNil(f.parse("2024-13-01"))
        XCTAssertNil(f.parse("24-01-01"))
        XCTAssertNil(f.parse("2024-01-01 "))
        let european = try field(.date, format: "%d/%m/%Y")
        XCTAssertEqual(european.parse("31/01/2024"), f.parse("2024-01-31"))
        XCTAssertNil(european.parse("2024-01-31"))
        let named = try field(.date, format: "%d %b %Y")
        XCTAssertEqual(named.parse("5 Mar 2024"), f.parse("2024-03-05"))
        let any = try field(.date, format: "any")
        XCTAssertEqual(any.parse("03/05/2024"), f.parse("2024-03-05"), "month first, as dateutil")
        XCTAssertEqual(f.text(of: .date(19782)), "2024-02-29")
        XCTAssertEqual(f.text(of: .date(-1)), "1969-12-31")
    }

    func testDatetimesAndTimes() throws {
        let f = try field(.datetime)
        XCTAssertEqual(f.parse("1970-01-01T00:01:00"), .datetime(60))
        XCTAssertEqual(f.parse("1970-01-01T01:00:00+01:00"), .datetime(0))
        XCTAssertEqual(f.parse("1970-01-01 00:00:00.5Z"), .datetime(0.5))
        XCTAssertEqual(f.parse("1970-01-01T24:00:00"), .datetime(86_400))
        XCTAssertNil(f.parse("1970-01-01T00:00"), "seconds are required")
        XCTAssertNil(f.parse("1970-01-01T00:00:60"))
        XCTAssertNil(f.parse("1970-01-01"))
        let t = try field(.time)
        XCTAssertEqual(t.parse("10:30:00"), .time(37_800))
        XCTAssertEqual(t.parse("10:30:00.25"), .time(37_800.25))
        XCTAssertNil(t.parse("10:30"))
        XCTAssertNil(t.parse("25:00:00"))
        XCTAssertEqual(t.text(of: .time(37_800.25)), "10:30:00.250000")
        XCTAssertEqual(f.text(of: .datetime(60)), "1970-01-01T00:01:00Z")
    }

    func testYearsAndStrings() throws {
        XCTAssertEqual(try field(.year).parse("2024"), .year(2024))
        XCTAssertNil(try field(.year).parse("24"))
        XCTAssertEqual(try field(.yearmonth).parse("2024-3"), .yearmonth(2024 * 12 + 2))
        XCTAssertNil(try field(.yearmonth).parse("2024-13"))
        XCTAssertEqual(try field(.yearmonth).text(of: .yearmonth(2024 * 12 + 2)), "2024-03")
        XCTAssertEqual(try field(.string).parse("anything"), .text)
        XCTAssertEqual(try field(.any).parse(""), .text)
        let email = try field(.string, format: "email")
        XCTAssertEqual(email.parse("ana@example.org"), .text)
        XCTAssertNil(email.parse("ana@localhost"))
        XCTAssertNil(email.parse("ana example.org"))
        let uuid = try field(.string, format: "uuid")
        XCTAssertEqual(uuid.parse("123e4567-e89b-12d3-a456-426614174000"), .text)
        XCTAssertNil(uuid.parse("123e4567e89b12d3a456426614174000"))
        let uri = try field(.string, format: "uri")
        XCTAssertEqual(uri.parse("https://example.org/a?b=c"), .text)
        XCTAssertNil(uri.parse("example.org"))
        XCTAssertNil(uri.parse("http://exa mple.org"))
    }

    func testCompareAcrossNumbers() {
        XCTAssertEqual(CellValue.compare(.integer(3), .number(2.5)), 1)
        XCTAssertEqual(CellValue.compare(.date(3), .date(3)), 0)
        XCTAssertNil(CellValue.compare(.number(.nan), .number(1)))
        XCTAssertNil(CellValue.compare(.text, .text))
    }
}
