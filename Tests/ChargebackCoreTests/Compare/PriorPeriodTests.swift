import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// The period before: same kind, same zone, ending where this one starts.
final class PriorPeriodTests: XCTestCase {
    func testThePreviousPeriodOfEachKind() throws {
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        let cases: [(String, String, String, String)] = [
            ("2026-10", "2026-09", "2026-08-31T22:00:00Z", "2026-09-30T22:00:00Z"),
            ("2026-01", "2025-12", "2025-11-30T23:00:00Z", "2025-12-31T23:00:00Z"),
            ("2026-Q1", "2025-Q4", "2025-09-30T22:00:00Z", "2025-12-31T23:00:00Z"),
            ("2026-W01", "2025-W52", "2025-12-21T23:00:00Z", "2025-12-28T23:00:00Z"),
            ("2026-10-26", "2026-10-25", "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z"),
        ]
        for (label, previousLabel, start, end) in cases {
            let previous = try Period.parse(label, in: berlin).previous
            XCTAssertEqual(previous.label, previousLabel, label)
            XCTAssertEqual(previous.start, DateText.parseInstant(start), label)
            XCTAssertEqual(previous.end, DateText.parseInstant(end), label)
            XCTAssertEqual(
                previous, try Period.parse(previousLabel, in: berlin), "the same as asking for \(previousLabel)")
        }
    }

    func testARangeIsFollowedByTheSameLengthBefore() throws {
        let utc = TimeZone(identifier: "UTC")!
        let range = try Period.range(from: "2026-10-10", to: "2026-10-15", in: utc)
        let previous = range.previous
        XCTAssertEqual(previous.end, range.start)
        XCTAssertEqual(previous.seconds, range.seconds)
        XCTAssertEqual(previous.label, "2026-10-05_2026-10-10")
        let hours = try Period.range(from: "2026-10-10T06:00:00Z", to: "2026-10-10T18:00:00Z", in: utc).previous
        XCTAssertEqual(hours.label, "2026-10-09T180000Z_2026-10-10T060000Z")
        XCTAssertEqual(hours.seconds, 12 * 3600)
        XCTAssertEqual(
            range.previous(3).map(\.start),
            ["2026-10-05", "2026-09-30", "2026-09-25"].map {
                DateText.parseDay($0, in: utc)!
            })
    }

    func testAPartialPeriodIsComparedWithTheSameLengthOfThePreviousOne() throws {
        let utc = TimeZone(identifier: "UTC")!
        let september = try Period.parse("2026-09", in: utc)
        let part = september.prefix(seconds: 14 * 86_400)
        XCTAssertEqual(part.end, DateText.parseDay("2026-09-15", in: utc))
        XCTAssertEqual(september.prefix(seconds: 40 * 86_400), september)
    }
}

extension PriorPeriodTests {
    func testARangeOfWholeDaysStepsBackByDaysAcrossSummerTime() throws {
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        // 24 to 27 October: 73 hours (the 25th has 25); the three days before have 72.
        let range = try Period.range(from: "2026-10-24", to: "2026-10-27", in: berlin)
        XCTAssertEqual(range.previous.start, DateText.parseDay("2026-10-21", in: berlin))
        XCTAssertEqual(range.previous.end, range.start)
        XCTAssertEqual(range.previous.seconds, 72 * 3600)
    }
}
