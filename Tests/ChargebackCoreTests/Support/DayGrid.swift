import Foundation

@testable import ChargebackMeasure
@testable import ChargebackModel

/// The summary grid of the planner and reader tests: the UTC day 2026-10-01 with 3 hours read on
/// each side, grid hours 0…29 (the period is hours 3…26).
enum DayGrid {
    static let buckets = Buckets(period: try! Period.parse("2026-10-01", in: TimeZone(identifier: "UTC")!))
    static var grid: SummaryGrid {
        SummaryGrid(
            buckets: buckets, lookbackSeconds: 3 * 3600, rangeEnd: buckets.period.end.addingTimeInterval(3 * 3600))
    }
}
