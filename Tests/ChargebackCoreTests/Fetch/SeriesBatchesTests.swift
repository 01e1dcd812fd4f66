import Logging
import XCTest

@testable import ChargebackConfig
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork

/// Reading a counter's summaries batch by batch of series gives the same tokens, to the token, as
/// reading them all at once, and both the counters' truth.
final class SeriesBatchesTests: XCTestCase {
    let utc = TimeZone(identifier: "UTC")!
    let metric = "agentgateway_gen_ai_client_token_usage_sum"

    func testGroupsKeepEveryValueOnceInOrderWithinTheirBounds() {
        let values = (0..<23).map { String(format: "user-%02d", $0) } + ["a.b|c"]
        let groups = SeriesBatches.groups(values.sorted(), perBatch: 5)
        XCTAssertEqual(groups.count, 5)
        let split = groups.flatMap { $0.components(separatedBy: "|") }
        XCTAssertEqual(split.filter { $0.hasPrefix("user-") }, values.filter { $0.hasPrefix("user-") })
        XCTAssertEqual(groups.first, #"a\.b\|c|user-00|user-01|user-02|user-03"#, "regex characters escaped")
        let long = (0..<400).map { String(repeating: "x", count: 40) + "\($0)" }
        let byBytes = SeriesBatches.groups(long, perBatch: 1_000)
        XCTAssertGreaterThan(byBytes.count, 2)
        XCTAssertTrue(byBytes.allSatisfy { $0.utf8.count <= SeriesBatches.maxMatcherBytes })
        XCTAssertEqual(byBytes.joined(separator: "|").components(separatedBy: "|").count, 400)
    }

    /// A label value lookup the backend refuses costs only the batching: the next label is tried,
    /// and with none left the counter is one batch.
    func testARefusedLabelValueLookupFallsBackToTheNextLabelThenToOneBatch() async throws {
        final class RefusingLabels: ForwardingBackend, @unchecked Sendable {
            let refused: Set<String>
            init(_ inner: InMemoryBackend, refusing refused: Set<String>) {
                self.refused = refused
                super.init(inner)
            }
            override func labelValues(_ name: String, start: Date, end: Date) async throws -> [String] {
                guard !refused.contains(name) else {
                    throw FetchError.api(
                        url: displayURL, errorType: "422", message: "the number of unique tag values exceeds 100000",
                        query: name)
                }
                return try await inner.labelValues(name, start: start, end: end)
            }
        }
        let inner = InMemoryBackend(series: world().series, settings: config().prometheus)
        let (start, end) = (Date(millis: 0), DateText.parseInstant("2026-11-01T00:00:00Z")!)
        let byPod = try await SeriesBatches(
            client: RefusingLabels(inner, refusing: ["user_id"]), splitLabels: ["user_id", "gateway", "pod"],
            seriesPerBatch: 2
        ).selectors("m", series: 8, start: start, end: end) { _ in }
        XCTAssertEqual(byPod, ["m"], "gateway and pod have one value each: nothing to cut by")
        var lookups: [String] = []
        let refused = try await SeriesBatches(
            client: RefusingLabels(inner, refusing: ["user_id", "gateway", "pod"]), splitLabels: ["user_id", "pod"],
            seriesPerBatch: 2
        ).selectors("m", series: 8, start: start, end: end) { lookups.append($0.promql) }
        XCTAssertEqual(refused, ["m"])
        XCTAssertEqual(lookups, [], "no lookup was answered")
        let byUser = try await SeriesBatches(
            client: RefusingLabels(inner, refusing: ["gateway"]), splitLabels: ["gateway", "user_id"], seriesPerBatch: 4
        ).selectors("m", series: 8, start: start, end: end) { lookups.append($0.promql) }
        XCTAssertEqual(
            byUser, [#"m{user_id=""}"#, #"m{user_id=~"u1|u2|u3"}"#, #"m{user_id=~"u4|u5|u6"}"#, #"m{user_id=~"u7"}"#])
        XCTAssertEqual(lookups, ["user_id"])
    }

    /// Seven users' counters over two days, one-minute scrapes, with what summaries cannot settle:
    /// a user born in the period, a restart, twenty missed scrapes, and one series without the
    /// user label. Batches of two series: the label values lookup, then one batch per two users
    /// and one for the series without a user.
    func testBatchedSummariesCountEveryTokenOfTheUnbatchedRead() async throws {
        let world = world()
        let period = try Period.range(from: "2026-10-02", to: "2026-10-03", in: utc)
        let now = DateText.parseInstant("2026-11-01T00:00:00Z")!
        var results: [[UsageKey: Int64]] = []
        var queries: [[QueryRecord]] = []
        for perBatch in [1_000, 2] {
            let config = config()
            let plan = QueryPlan(config: config, period: period, now: now)
            var fetcher = UsageFetcher(
                client: InMemoryBackend(series: world.series, settings: config.prometheus),
                logger: Logger(label: "test"))
            fetcher.seriesPerBatch = perBatch
            let measured = try await fetcher.fetch(plan: plan, config: config, now: now)
            results.append(measured.tokens.mapValues { $0.reduce(0, +) })
            queries.append(measured.queries)
        }
        XCTAssertEqual(results[0], results[1])
        XCTAssertEqual(results[1].values.reduce(0, +), world.truth, "every minute's increase of the period")
        XCTAssertFalse(queries[0].contains { $0.endpoint.hasPrefix("/api/v1/label/") })
        XCTAssertEqual(queries[1].filter { $0.endpoint == "/api/v1/label/user_id/values" }.count, 1)
        let batchSummaries = queries[1].filter { $0.promql.hasPrefix("last_over_time(") }.map(\.promql)
        XCTAssertEqual(
            batchSummaries,
            [
                #"last_over_time(\#(metric){user_id=""}[3599999ms])"#,
                #"last_over_time(\#(metric){user_id=~"u1|u2"}[3599999ms])"#,
                #"last_over_time(\#(metric){user_id=~"u3|u4"}[3599999ms])"#,
                #"last_over_time(\#(metric){user_id=~"u5|u6"}[3599999ms])"#,
                #"last_over_time(\#(metric){user_id=~"u7"}[3599999ms])"#,
            ])
    }

    /// Per user one input counter of `user` tokens a minute from the start of the 1st (u7 from
    /// 09:30 on the 2nd); u3's pod restarts at 13:00 on the 2nd; u5 misses 20 scrapes from 15:00;
    /// and a series without a user. The truth: every increase inside the 2nd.
    func world() -> (series: [InMemoryBackend.Series], truth: Int64) {
        let first = DateText.parseInstant("2026-10-01T00:00:00Z")!.millis
        let last = DateText.parseInstant("2026-10-03T23:59:00Z")!.millis
        let periodStart = DateText.parseInstant("2026-10-02T00:00:00Z")!.millis
        let periodEnd = DateText.parseInstant("2026-10-03T00:00:00Z")!.millis
        let born = DateText.parseInstant("2026-10-02T09:30:00Z")!.millis
        let restart = DateText.parseInstant("2026-10-02T13:00:00Z")!.millis
        let gap = DateText.parseInstant("2026-10-02T15:00:00Z")!.millis
        var series: [InMemoryBackend.Series] = []
        var truth: Int64 = 0
        for user in ["", "u1", "u2", "u3", "u4", "u5", "u6", "u7"] {
            let rate = Double(user.isEmpty ? 3 : Int(user.dropFirst())! * 10)
            var value = 0.0
            var samples: [(Int64, Double)] = []
            for time in stride(from: user == "u7" ? born : first, through: last, by: 60_000) {
                // Each minute adds `rate`: a series' first sample counts from zero, a restart's
                // sample counts itself, missed scrapes' increases come with the next sample.
                // An hour holds the samples of (start, end].
                if time > periodStart, time <= periodEnd { truth += Int64(rate) }
                value = user == "u3" && time == restart ? rate : value + rate
                if user == "u5", time >= gap, time < gap + 20 * 60_000 { continue }
                samples.append((time, value))
            }
            var labels = [
                "__name__": metric, "gateway": "gw1", "gen_ai_request_model": "dear-model",
                "gen_ai_token_type": "input", "gen_ai_system": "anthropic", "pod": "gw1-a",
            ]
            if !user.isEmpty { labels["user_id"] = user }
            series.append(.init(labels: labels, samples: samples))
        }
        return (series, truth)
    }

    func config() -> ChargebackConfig { PerUserConfig.make() }
}
