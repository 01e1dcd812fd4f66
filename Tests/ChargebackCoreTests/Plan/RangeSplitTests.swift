import Foundation
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

final class RangeSplitTests: XCTestCase {
    let start = Date(timeIntervalSince1970: 1_790_812_800)

    func testPointsCountBothEnds() {
        XCTAssertEqual(RangeSplit.points(start: start, end: start, stepSeconds: 60), 1)
        XCTAssertEqual(RangeSplit.points(start: start, end: start.addingTimeInterval(3600), stepSeconds: 60), 61)
        XCTAssertEqual(RangeSplit.points(start: start, end: start.addingTimeInterval(3599), stepSeconds: 60), 60)
    }

    func testPartsStayUnderTheLimitAndCoverEveryStepOnce() {
        let table: [(seconds: Double, step: Int, parts: Int)] = [
            (31 * 86400, 60, 5),  // 44,641 points
            (31 * 86400, 15, 17),  // 178,561 points
            (10_999 * 60, 60, 1),  // exactly 11,000 points
            (11_000 * 60, 60, 2),  // 11,001 points
            (86400, 3600, 1),
        ]
        for (seconds, step, parts) in table {
            let end = start.addingTimeInterval(seconds)
            let windows = RangeSplit.windows(start: start, end: end, stepSeconds: step)
            XCTAssertEqual(windows.count, parts, "\(seconds) s at \(step) s")
            var steps: [Date] = []
            for window in windows {
                let points = RangeSplit.points(start: window.start, end: window.end, stepSeconds: step)
                XCTAssertLessThanOrEqual(points, RangeSplit.maxPointsPerSeries)
                steps += (0..<points).map { window.start.addingTimeInterval(Double($0 * step)) }
            }
            let unsplit = (0..<RangeSplit.points(start: start, end: end, stepSeconds: step))
                .map { start.addingTimeInterval(Double($0 * step)) }
            XCTAssertEqual(steps, unsplit, "the parts evaluate at exactly the unsplit steps")
        }
    }
}
