import XCTest
@testable import ChargebackCore

final class PeriodRequestTests: XCTestCase {
    private let utc = TimeZone(identifier: "UTC")!
    private let now = DateText.parseInstant("2026-11-15T12:00:00Z")!

    func testOnlyThisMonthMayEndInTheFuture() throws {
        XCTAssertEqual(try PeriodRequest.named("2026-10").resolve(in: utc, now: now).label, "2026-10")
        let partial = try PeriodRequest.named("this-month").resolve(in: utc, now: now)
        XCTAssertEqual(partial.label, "2026-11")
        XCTAssertTrue(partial.isPartial(now: now))
        for request in [PeriodRequest.named("2026-11"), .named("2026-Q4"), .range(from: "2026-11-01", to: "2026-11-20")] {
            XCTAssertThrowsError(try request.resolve(in: utc, now: now), "\(request)") { error in
                XCTAssertTrue("\(error.localizedDescription)".contains("ends in the future"), "\(error)")
                XCTAssertEqual((error as? ExitCodeError)?.exitCode, 64)
            }
        }
    }

    func testAPeriodThatHasNotStartedIsRefused() {
        XCTAssertThrowsError(try PeriodRequest.named("2026-12").resolve(in: utc, now: now)) { error in
            XCTAssertEqual((error as? InputError)?.message, "the period 2026-12 has not started yet")
        }
    }

    func testTheZoneMovesTheBoundaries() throws {
        let berlin = try PeriodRequest.named("2026-10").resolve(in: TimeZone(identifier: "Europe/Berlin")!, now: now)
        XCTAssertEqual(berlin.start, DateText.parseInstant("2026-09-30T22:00:00Z"))
    }

    func testFormatListsParseOrNameTheUnknownFormat() throws {
        XCTAssertEqual(try ReportFormat.list(" CSV , focus"), [.csv, .focus])
        XCTAssertThrowsError(try ReportFormat.list("csv,pdf")) { error in
            XCTAssertEqual((error as? InputError)?.message, "unknown format 'pdf'; choose from markdown, csv, xlsx, focus")
        }
        XCTAssertThrowsError(try ReportFormat.list(","))
    }
}
