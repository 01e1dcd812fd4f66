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
        let query = RequestLogQuery(
            startSeconds: buckets.startMillis / 1000, endSeconds: buckets.endMillis / 1000, identity: .user,
            bandSeconds: 60)
        // Summed as the groups stream in, as a report reads it.
        let empty = LoggedTokens(labels: LabelNames(), match: .gateway, hourCount: buckets.hourCount)
        let logged = try await log.read(query, into: empty) { $0.add($1) }
        let read = clock.now - started
        // Counters 10 % above the log on every gateway, model and token type.
        var tokens: [UsageKey: [Int64]] = [:]
        for (cell, hours) in logged.logged {
            let key = UsageKey(gateway: cell.gateway, model: cell.model, tokenType: cell.tokenType, system: "anthropic")
            for (hour, identities) in hours {
                tokens[key, default: Array(repeating: 0, count: buckets.hourCount)][hour] +=
                    identities.values.reduce(0, +) * 11 / 10
            }
        }
        let split = clock.now
        let result = Attribution.apply(tokens: tokens, newerBuilds: [:], logged: logged, buckets: buckets)
        let applied = clock.now - split
        print("\(logged.groups) groups read in \(read), split into \(result.tokens.count) keys in \(applied)")
        XCTAssertEqual(
            result.tokens.values.reduce(0) { $0 + $1.reduce(0, +) }, tokens.values.reduce(0) { $0 + $1.reduce(0, +) })
    }
}
