import Foundation
import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// The raw-sample windows of a plan: contiguous, never overlapping, never longer than the chunk.
final class QueryPlanTests: XCTestCase {
    func plan(chunk: Int, period text: String = "2026-10", now: String = "2026-11-22T00:00:00Z") throws -> QueryPlan {
        var config = try ConfigLoader.load(
            path: PackagePaths.root.appendingPathComponent("Samples/chargeback.yaml").path)
        config.prometheus.chunkSeconds = chunk
        let period = try Period.parse(text, in: TimeZone(identifier: "UTC")!)
        return QueryPlan(config: config, period: period, now: try XCTUnwrap(DateText.parseInstant(now)))
    }

    func testWindowsTileTheLookbackPeriodAndLookaheadForAnyChunk() throws {
        for chunk in [3600, 5400, 6 * 3600, 40 * 86400] {
            let plan = try plan(chunk: chunk)
            let queries = plan.tokenQueries
            XCTAssertEqual(
                queries.first?.windowStart, plan.period.start.addingTimeInterval(-Double(QueryPlan.edgeSeconds)))
            XCTAssertEqual(queries.last?.windowEnd, plan.period.end.addingTimeInterval(Double(QueryPlan.edgeSeconds)))
            for (previous, next) in zip(queries, queries.dropFirst()) {
                XCTAssertEqual(previous.windowEnd, next.windowStart, "chunk \(chunk): no gap, no overlap")
            }
            for query in queries {
                let seconds = query.windowEnd.timeIntervalSince(query.windowStart)
                XCTAssertLessThanOrEqual(seconds, Double(chunk))
                XCTAssertEqual(query.evaluationTime, query.windowEnd.addingTimeInterval(-0.001))
                XCTAssertTrue(query.promql.hasSuffix("[\(Int64(seconds * 1000))ms]"), query.promql)
            }
            XCTAssertEqual(plan.costQueries.count, queries.count)
        }
        XCTAssertEqual(try plan(chunk: 40 * 86400).tokenQueries.count, 3, "one window for the whole month")
        XCTAssertEqual(try plan(chunk: 6 * 3600).tokenQueries.count, 5 + 31 * 4 + 5, "26 h each side in 6 h chunks")
    }

    func testAPartialPeriodStopsAtNow() throws {
        let plan = try plan(chunk: 6 * 3600, now: "2026-10-02T03:30:00Z")
        XCTAssertEqual(plan.tokenQueries.last?.windowEnd, DateText.parseInstant("2026-10-02T03:30:00Z"))
    }
}
