import Logging
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// A whole report, fetch to files, against ``InMemoryBackend``: no server, and the known truth of
/// the counters it holds.
final class InMemoryReportTests: XCTestCase {
    let utc = TimeZone(identifier: "UTC")!
    let metric = "agentgateway_gen_ai_client_token_usage_sum"

    /// Two days of one-minute counters of two gateways; gw2's pod restarts at noon on the 2nd, its
    /// counter starting again from the minute's increase. Per minute: gw1 100 input and 20 output
    /// tokens, gw2 50 and 10.
    func world() -> [InMemoryBackend.Series] {
        let first = DateText.parseInstant("2026-09-30T23:00:00Z")!.millis
        let last = DateText.parseInstant("2026-10-03T01:00:00Z")!.millis
        let restart = DateText.parseInstant("2026-10-02T12:00:00Z")!.millis
        let perMinute: [(gateway: String, type: String, tokens: Double)] = [
            ("gw1", "input", 100), ("gw1", "output", 20), ("gw2", "input", 50), ("gw2", "output", 10),
        ]
        return perMinute.map { line in
            var value = 0.0
            let samples = stride(from: first, through: last, by: 60_000).map { time -> (Int64, Double) in
                value = line.gateway == "gw2" && time == restart ? line.tokens : value + line.tokens
                return (time, value)
            }
            return InMemoryBackend.Series(
                labels: [
                    "__name__": metric, "gateway": line.gateway, "gen_ai_request_model": "dear-model",
                    "gen_ai_token_type": line.type, "gen_ai_system": "anthropic", "pod": "\(line.gateway)-a",
                ], samples: samples)
        }
    }

    func config(plan: FetchPlan) -> ChargebackConfig {
        let book = Self.priceBook
        let teams = Self.teamBook
        var prometheus = PrometheusSettings(url: URL(string: "http://in-memory.invalid")!)
        prometheus.plan = plan
        var metrics = MetricSettings()
        metrics.cost = nil
        return ChargebackConfig(
            prometheus: prometheus, metrics: metrics, pricing: book, teams: teams, timeZone: utc,
            thresholds: Thresholds(), gapFactor: 1.5, files: [])
    }

    /// Every minute's increase of the two days, the restart's included, and the cents of each
    /// team: gw1 288,000 input and 57,600 output tokens ($0.864 + $0.864), gw2 half of that.
    func testAWholeReportFromTheInMemoryBackendHasTheCountersTruth() async throws {
        for plan in [FetchPlan.raw, .summaries] {
            let backend = InMemoryBackend(series: world(), settings: config(plan: plan).prometheus)
            let output = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
            defer { try? FileManager.default.removeItem(at: output) }
            let request = ReportRequest(
                period: try Period.range(from: "2026-10-01", to: "2026-10-03", in: utc),
                formats: [.csv, .markdown], hourly: false, outputDirectory: output,
                commandLine: ["chargeback", "report"], now: DateText.parseInstant("2026-11-01T00:00:00Z")!)
            let pipeline = ReportPipeline(config: config(plan: plan), client: backend, logger: Logger(label: "test"))
            let outcome = try await pipeline.run(request)
            let report = outcome.report
            let tokens = Dictionary(
                report.lines.map { ("\($0.key.gateway) \($0.key.tokenType)", $0.tokens) }, uniquingKeysWith: +)
            XCTAssertEqual(
                tokens, ["gw1 input": 288_000, "gw1 output": 57_600, "gw2 input": 144_000, "gw2 output": 28_800],
                "\(plan)")
            XCTAssertEqual(report.coverage.resets.count, 2, "gw2's input and output counters restarted")
            XCTAssertEqual(report.allocation.cost(of: "Search"), Decimal(string: "1.73"), "\(plan)")
            XCTAssertEqual(report.allocation.cost(of: "Research"), Decimal(string: "0.86"), "\(plan)")
            XCTAssertEqual(report.roundedTotal, Decimal(string: "2.59"))
            let teamsFile = try XCTUnwrap(outcome.files.first { $0.lastPathComponent.hasSuffix("-teams.csv") })
            let teamsCSV = try String(contentsOf: teamsFile, encoding: .utf8)
            XCTAssertEqual(teamsCSV, CSVReports.teams(report), "the file written is the report's")
            XCTAssertTrue(teamsCSV.contains(",1.73"), teamsCSV)
            XCTAssertTrue(
                report.diagnostics.contains { $0.message.contains("in-memory backend evaluates selectors only") },
                "the dashboard's increase() is not evaluated, and the report says so")
        }
    }

    /// One model, dear-model, at $3 input and $15 output per million tokens since 2026.
    static let priceBook = PriceBook(
        currency: "USD",
        models: [
            ModelPricing(
                match: Glob("dear-model"),
                prices: [
                    PricePoint(
                        from: DateText.parseDay("2026-01-01", in: TimeZone(identifier: "UTC")!)!, input: 3, output: 15,
                        cacheRead: nil, cacheWrite: nil)
                ])
        ], unpriced: .error)

    /// Search pays for gw1, Research for gw2.
    static let teamBook = TeamBook(
        teams: [Team(name: "Search"), Team(name: "Research")],
        rules: [
            TeamRule(match: ["gateway": Glob("gw1")], action: .team("Search"), origin: "teams.yaml:3"),
            TeamRule(match: ["gateway": Glob("gw2")], action: .team("Research"), origin: "teams.yaml:4"),
        ], unallocated: .report)
}
