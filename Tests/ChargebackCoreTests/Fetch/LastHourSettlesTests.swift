import Logging
import XCTest

@testable import ChargebackConfig
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork

/// A run's last hour (regular, after an irregular one) settles from the summaries when the samples
/// read before it end on schedule, and is read raw when they end early: a gap that reaches into it
/// is then shared by time exactly as reading every sample shares it.
final class LastHourSettlesTests: XCTestCase {
    let utc = TimeZone(identifier: "UTC")!
    let metric = "agentgateway_gen_ai_client_token_usage_sum"

    func testABirthHourEndsOnScheduleAndAGapIntoTheNextHourIsReadAfterAll() async throws {
        let period = try Period.parse("2026-10-02", in: utc)
        let now = DateText.parseInstant("2026-10-03T00:05:00Z")!
        var tokens: [FetchPlan: [UsageKey: [Int64]]] = [:]
        var raw: [QueryRecord] = []
        for fetchPlan in [FetchPlan.summaries, .raw] {
            var config = config()
            config.prometheus.plan = fetchPlan
            let measured = try await UsageFetcher(
                client: InMemoryBackend(series: world(), settings: config.prometheus), logger: Logger(label: "test")
            ).fetch(plan: QueryPlan(config: config, period: period, now: now), config: config, now: now)
            tokens[fetchPlan] = measured.tokens
            if fetchPlan == .summaries { raw = measured.queries.filter { $0.windowStart != nil } }
        }
        XCTAssertEqual(tokens[.summaries], tokens[.raw], "hour by hour, every key")
        let gap = try XCTUnwrap(tokens[.summaries]?.first { $0.key.extras == ["gap"] }?.value)
        // 14:49:30 → 15:00:30 is a gap of 330 tokens: 630 of its 660 seconds lie in hour 14.
        XCTAssertEqual(gap[14], 50 * 30 + 315)
        XCTAssertEqual(gap[15], 15 + 59 * 30)

        // A raw read of the samples in (hour start, …]: its window starts 1 ms after the hour.
        let reads = { (user: String, from: String) in
            let start = DateText.parseInstant("2026-10-02T\(from)Z")!.millis + 1
            return raw.filter { $0.promql.contains("\"\(user)\"") && $0.windowStart?.millis == start }.count
        }
        XCTAssertEqual(reads("born", "09:00:00"), 1, "the birth hour")
        XCTAssertEqual(reads("born", "10:00:00"), 0, "its samples end on schedule: the hour after it settles")
        XCTAssertEqual(reads("gap", "13:00:00"), 1, "the hour before the gap's, and the gap's, in one read")
        XCTAssertEqual(reads("gap", "15:00:00"), 1, "the hour the gap reaches into, read after all")
    }

    /// Per user one input counter scraped every minute at 30 seconds past: `steady` from the 1st,
    /// `born` from 09:30:30 on the 2nd, and `gap` missing its ten scrapes from 14:50:30 to 14:59:30.
    func world() -> [InMemoryBackend.Series] {
        let first = DateText.parseInstant("2026-10-01T00:00:30Z")!.millis
        let last = DateText.parseInstant("2026-10-03T00:04:30Z")!.millis
        let born = DateText.parseInstant("2026-10-02T09:30:30Z")!.millis
        let gap = DateText.parseInstant("2026-10-02T14:50:30Z")!.millis
        let users: [(String, Int64)] = [("steady", 10), ("born", 20), ("gap", 30)]
        return users.map { user, rate -> InMemoryBackend.Series in
            var samples: [(Int64, Double)] = []
            for time in stride(from: user == "born" ? born : first, through: last, by: 60_000) {
                let minutes: Int64 = (time - first) / 60_000 + 1
                let value = Double(rate * minutes)
                if user == "gap", time >= gap, time < gap + 10 * 60_000 { continue }
                samples.append((time, value))
            }
            let labels: [String: String] = [
                "__name__": metric, "gateway": "gw1", "gen_ai_request_model": "dear-model",
                "gen_ai_token_type": "input", "gen_ai_system": "anthropic", "pod": "gw1-a", "user_id": user,
            ]
            return InMemoryBackend.Series(labels: labels, samples: samples)
        }
    }

    func config() -> ChargebackConfig { PerUserConfig.make() }
}
