import XCTest

@testable import generate_history

/// The sample history's incidents fall in the first whole month after --start, so the demo can
/// generate the last complete month before any date; the default start keeps October 2026.
final class SampleMonthTests: XCTestCase {
    override func tearDown() {
        World.configure(try! Options.parse(["--out", "unused"]))
    }

    func testTheDefaultStartKeepsOctober2026() throws {
        World.configure(try Options.parse(["--out", "unused"]))
        XCTAssertEqual(World.month.start, UTC.millis(2026, 10, 1))
        XCTAssertEqual(World.month.end, UTC.millis(2026, 11, 1))
        XCTAssertEqual(
            World.spikes.map(\.from),
            [
                UTC.millis(2026, 10, 7, 9), UTC.millis(2026, 10, 15, 13),
                UTC.millis(2026, 10, 23, 8),
            ])
        XCTAssertEqual(World.restart.around, UTC.millis(2026, 10, 9, 14, 23))
        XCTAssertEqual(World.windows.map(\.from), [UTC.millis(2026, 10, 21, 22, 30), UTC.millis(2026, 10, 31, 23, 20)])
        XCTAssertEqual(World.windows.map(\.to), [UTC.millis(2026, 10, 22, 1, 30), UTC.millis(2026, 11, 1, 0, 40)])
    }

    /// The demo on 2026-12-01 starts November's history on 2026-10-27.
    func testAStartBeforeNovemberPutsTheIncidentsInNovember() throws {
        World.configure(try Options.parse(["--out", "unused", "--start", "2026-10-27T00:00:00Z", "--days", "35"]))
        XCTAssertEqual(World.month.start, UTC.millis(2026, 11, 1))
        XCTAssertEqual(World.month.end, UTC.millis(2026, 12, 1))
        XCTAssertEqual(World.spikes.first?.from, UTC.millis(2026, 11, 7, 9))
        XCTAssertEqual(World.gateway3SonnetFrom, UTC.millis(2026, 11, 12, 10))
        XCTAssertEqual(World.windows.last?.from, UTC.millis(2026, 11, 30, 23, 20), "the outage crosses the month end")
        XCTAssertEqual(World.windows.last?.to, UTC.millis(2026, 12, 1, 0, 40))
        XCTAssertEqual(
            World.month(after: UTC.millis(2027, 2, 1)).end, UTC.millis(2027, 3, 1), "a start on the 1st is its month")
        XCTAssertEqual(World.month(after: UTC.millis(2026, 12, 27)).start, UTC.millis(2027, 1, 1), "across a year end")
    }
}
