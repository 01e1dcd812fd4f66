import ChargebackCore
import Foundation
import Logging
import TestSupport
import XCTest

/// On the sample history, the days and weeks over the sample thresholds are exactly those the
/// generator's ground truth says.
final class ThresholdTruthTests: XCTestCase {
    func testBreachedDaysAndWeeksMatchTheTruth() async throws {
        let world = try SampleWorld.get()
        let config = try ConfigLoader.load(
            path: PackagePaths.root.appendingPathComponent("Samples/chargeback.yaml").path)
        let period = try Period.parse("2026-10", in: TimeZone(identifier: "UTC")!)
        let report = try await BackendReport.build(url: world.url)
        // The truth's tokens, priced with the same book and cache convention, hour by hour.
        let buckets = Buckets(period: period)
        var usage: [UsageKey: [Int64]] = [:]
        let systems = ["claude": "anthropic", "gpt": "openai"]
        for row in world.truth.rows {
            guard let hour = buckets.hourIndex(millis: Int64(row.hour.timeIntervalSince1970 * 1000)) else { continue }
            let system = systems.first { row.model.hasPrefix($0.key) }?.value ?? ""
            let key = UsageKey(gateway: row.gateway, model: row.model, tokenType: row.tokenType, system: system)
            usage[key, default: Array(repeating: 0, count: buckets.hourCount)][hour] += row.tokens
        }
        let truthLines = try Pricing.price(
            usage: usage, buckets: buckets, book: config.pricing, metrics: config.metrics,
            dimensions: config.dimensions, pricingFile: "pricing.yaml"
        ).lines
        func truthCost(_ start: Date, _ end: Date) -> Decimal {
            let first = buckets.hourIndex(millis: Int64(max(start, period.start).timeIntervalSince1970 * 1000)) ?? 0
            let last = buckets.hourIndex(millis: Int64(min(end, period.end).timeIntervalSince1970 * 1000) - 1)
            let hours = first..<(last.map { $0 + 1 } ?? 0)
            return truthLines.reduce(Decimal(0)) { total, line in
                total + hours.reduce(Decimal(0)) { $0 + line.hourlyCost[$1] }
            }
        }
        let checks = report.assessment.checks(of: .total)
        for window in [ThresholdCheck.Window.day, .week] {
            let limit = try XCTUnwrap(window == .day ? config.thresholds.daily : config.thresholds.weekly)
            let ours = checks.filter { $0.window == window && $0.status == .exceeded }.map(\.start)
            let truth = checks.filter { $0.window == window && truthCost($0.start, $0.end) > limit }.map(\.start)
            XCTAssertEqual(ours, truth, "\(window) breaches")
            XCTAssertFalse(ours.isEmpty, "the sample month breaches some \(window)s")
        }
        XCTAssertEqual(checks.filter { $0.window == .day && $0.status == .exceeded }.count, 3, "the three spike days")
        XCTAssertTrue(
            report.breachSentences.contains { $0.hasPrefix("2026-10:") }, "October passes the $500 monthly threshold")
    }
}
