import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender
@testable import chargeback

/// A price point's id (FOCUS `SkuPriceId`) and its display in `chargeback prices` carry its time
/// when it does not start at midnight, so two changes on one day stay two prices.
final class PriceIdentityTests: XCTestCase {
    static let utc = TimeZone(identifier: "UTC")!

    static func instant(_ text: String) -> Date { DateText.parseInstant(text)! }

    /// Sonnet changes price twice on 2026-10-16: at midnight and again at 12:00.
    static let book = PriceBook(
        currency: "USD",
        models: [
            ModelPricing(
                match: Glob("claude-sonnet-4-5*"),
                prices: [
                    PricePoint(
                        from: instant("2026-10-01T00:00:00Z"), input: 3, output: 15, cacheRead: nil, cacheWrite: nil),
                    PricePoint(
                        from: instant("2026-10-16T00:00:00Z"), input: Decimal(string: "2.50")!, output: 12,
                        cacheRead: nil, cacheWrite: nil),
                    PricePoint(
                        from: instant("2026-10-16T12:00:00Z"), input: 2, output: 10, cacheRead: nil, cacheWrite: nil),
                ])
        ], unpriced: .error)

    func testTwoChangesOnOneDayGetDistinctSkuPriceIds() throws {
        let period = try Period.parse("2026-10-16", in: Self.utc)
        let buckets = Buckets(period: period)
        let key = UsageKey(gateway: "gw", model: "claude-sonnet-4-5", tokenType: "input", system: "anthropic")
        let priced = try Pricing.price(
            usage: [key: Array(repeating: 1_000_000, count: buckets.hourCount)],
            buckets: buckets, book: Self.book, metrics: MetricSettings(),
            dimensions: UsageDimensions(labels: LabelNames(), extraLabels: []),
            pricingFile: "pricing.yaml")
        let teams = TeamBook(
            teams: [Team(name: "Search")],
            rules: [TeamRule(match: ["gateway": Glob("*")], action: .team("Search"), origin: "teams.yaml:5")],
            unallocated: .report)
        let allocation = try Allocator.allocate(
            lines: priced.lines, book: teams,
            dimensions: UsageDimensions(labels: LabelNames(), extraLabels: []),
            teamsFile: "teams.yaml", buckets: buckets.ledgerBuckets(hourly: false))
        let config = ChargebackConfig(
            prometheus: PrometheusSettings(url: URL(string: "http://prometheus.example:9090")!),
            metrics: MetricSettings(),
            pricing: Self.book, teams: teams, timeZone: Self.utc, thresholds: Thresholds(), gapFactor: 1.5, files: [])
        let report = Report(
            toolVersion: "test", generatedAt: Self.instant("2026-10-17T06:00:00Z"), period: period,
            buckets: buckets, partial: false, prometheusURL: "http://prometheus.example:9090",
            config: config, lines: priced.lines, allocation: allocation,
            assessment: Assess.assess(
                lines: priced.lines, allocation: allocation, buckets: buckets,
                period: period, config: config,
                reconciliation: Reconciliation(dashboard: [], gatewayCost: [])),
            coverage: Coverage(), queries: [], diagnostics: [])
        let (_, records) = try CSVParser.records(FOCUSRenderer.render(report))
        let ids = records.map { $0["SkuPriceId"] ?? "" }
        XCTAssertEqual(
            Set(ids), ["claude-sonnet-4-5/input@2026-10-16", "claude-sonnet-4-5/input@2026-10-16T12:00:00Z"],
            "\(ids)")
        // One id, one price: the morning at $2.50, the afternoon at $2.00 per million.
        var priceOfId: [String: Set<String>] = [:]
        for record in records {
            priceOfId[record["SkuPriceId"] ?? "", default: []].insert(record["ListUnitPrice"] ?? "")
        }
        for (id, prices) in priceOfId { XCTAssertEqual(prices.count, 1, "\(id) has prices \(prices)") }
    }

    func testPricesShowsTheTimeOfAChangeThatIsNotAtMidnight() {
        let afternoon = PriceTable.text(Self.book, at: Self.instant("2026-10-16T13:00:00Z"))
        XCTAssertTrue(afternoon.contains("2026-10-16T12:00:00Z"), afternoon)
        let morning = PriceTable.text(Self.book, at: Self.instant("2026-10-16T09:00:00Z"))
        XCTAssertTrue(morning.contains("2026-10-16 "), morning)
        XCTAssertFalse(morning.contains("T00:00:00Z"), "a midnight change is shown as its day: \(morning)")
        XCTAssertEqual(DateText.priceStart(Self.instant("2026-10-16T00:00:00Z")), "2026-10-16")
        XCTAssertEqual(DateText.priceStart(Self.instant("2026-10-16T12:00:00Z")), "2026-10-16T12:00:00Z")
    }
}
