import XCTest

@testable import ChargebackCore
@testable import ChargebackModel
@testable import ChargebackStoreSQLite

/// A month of a large request log (set `CHARGEBACK_BIG_LOG` to an SQLite file of agentgateway's
/// schema): how long reading and splitting take, and that the split keeps every counted token.
final class AttributionScaleTests: XCTestCase {
    func testAMonthOfALargeLog() async throws {
        guard let path = ProcessInfo.processInfo.environment["CHARGEBACK_BIG_LOG"] else {
            throw XCTSkip("set CHARGEBACK_BIG_LOG to an SQLite request log to time a month of it")
        }
        let period = try Period.range(from: "2026-10-01", to: "2026-11-01", in: TimeZone(identifier: "UTC")!)
        let buckets = Buckets(period: period)
        let clock = ContinuousClock()
        let started = clock.now
        let log = try SQLiteRequestLog(path: path)
        let rows = try await log.read(
            RequestLogQuery(
                startSeconds: buckets.startMillis / 1000, endSeconds: buckets.endMillis / 1000, identity: .user,
                bandSeconds: 60))
        let read = clock.now - started
        // Counters 10 % above the log on every gateway, model and token type.
        var tokens: [UsageKey: [Int64]] = [:]
        for row in rows {
            let place = row.cell(labels: LabelNames(), match: .gateway)
            for (index, type) in LoggedTokenType.all.enumerated() where row.tokens[index] != 0 {
                let key = UsageKey(gateway: place.gateway, model: place.model, tokenType: type, system: "anthropic")
                tokens[key, default: Array(repeating: 0, count: buckets.hourCount)][row.hour] +=
                    row.tokens[index] * 11 / 10
            }
        }
        let split = clock.now
        let result = Attribution.apply(
            tokens: tokens, newerBuilds: [:], rows: rows, labels: LabelNames(), match: .gateway, buckets: buckets)
        let applied = clock.now - split
        print("\(rows.count) groups read in \(read), split into \(result.tokens.count) keys in \(applied)")
        XCTAssertEqual(
            result.tokens.values.reduce(0) { $0 + $1.reduce(0, +) }, tokens.values.reduce(0) { $0 + $1.reduce(0, +) })
    }
}
