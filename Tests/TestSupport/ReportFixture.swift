import ChargebackCore
import Foundation

/// A fixed, hand-built report for renderer tests: three days of Europe/Berlin across the end of
/// summer time (a 25-hour day), four gateways, a price change on the second day, a 60/40 split, a
/// shared pool, unpriced and unallocated usage, a daily threshold one day breaches, and budgets.
public enum ReportFixture {
    /// The label values that reach the reports; ``hostile`` swaps in formula and path tricks.
    public struct Labels: Sendable {
        public var gateways = [
            "kgateway-system/agentgateway1", "kgateway-system/agentgateway2",
            "kgateway-system/agentgateway3", "legacy/gw",
        ]
        public var models = [
            "claude-sonnet-4-5-20250929", "gpt-4o-2024-08-06", "claude-3-5-haiku-20241022", "mystery-model",
        ]
        public var teams = ["Search", "Research"]
        public var costCenters = ["CC-1001", "CC-2002"]

        public init() {}

        public init(gateways: [String], models: [String], teams: [String], costCenters: [String]) {
            self.gateways = gateways
            self.models = models
            self.teams = teams
            self.costCenters = costCenters
        }

        public static let hostile = Labels(
            gateways: ["=HYPERLINK(\"http://x\",\"y\")", "+1", "@SUM(A1)", "a|b\nc"],
            models: ["-2+3", "=1+1", "<script>alert(1)</script>", "../../etc/passwd"],
            teams: ["../../etc/passwd", "=HYPERLINK(\"http://x\",\"y\")"],
            costCenters: ["+1", "@SUM(A1)"])
    }

    public static let utc = TimeZone(identifier: "UTC")!
    public static let zone = TimeZone(identifier: "Europe/Berlin")!
    public static let reproduce = "chargeback report --config chargeback.yaml --from 2026-10-24 --to 2026-10-27"

    public static let runTime = DateText.parseInstant("2026-10-27T06:15:00Z")!

    /// - Parameter hourly: a ledger of hours (`--granularity hour`) rather than days.
    public static func make(_ labels: Labels = Labels(), generatedAt: Date = runTime, hourly: Bool = false) throws
        -> Report
    {
        try build(labels, generatedAt: generatedAt, hourly: hourly).report
    }

    /// The fixture's report and the configuration it was made with, `configure` applied to it first.
    public static func build(
        _ labels: Labels = Labels(), generatedAt: Date = runTime, hourly: Bool = false,
        configure: (inout ChargebackConfig) -> Void = { _ in }
    ) throws -> (report: Report, config: ChargebackConfig) {
        let period = try Period.range(from: "2026-10-24", to: "2026-10-27", in: zone)
        let buckets = Buckets(period: period)
        let day = { (text: String) in DateText.parseDay(text, in: utc)! }
        // Sonnet's prices, cheaper from 2026-10-25 (inside the period).
        let sonnet = [
            PricePoint(
                from: day("2025-09-29"), input: 3, output: 15, cacheRead: Decimal(string: "0.30")!,
                cacheWrite: Decimal(string: "3.75")!),
            PricePoint(
                from: day("2026-10-25"), input: Decimal(string: "2.50")!, output: 12,
                cacheRead: Decimal(string: "0.25")!, cacheWrite: 3),
        ]
        let book = PriceBook(
            currency: "USD",
            models: [
                ModelPricing(
                    match: Glob("claude-sonnet-4-5*"),
                    prices: sonnet),
                ModelPricing(
                    match: Glob("gpt-4o*"),
                    prices: [
                        PricePoint(
                            from: day("2024-08-06"), input: Decimal(string: "2.50")!, output: 10,
                            cacheRead: Decimal(string: "1.25")!, cacheWrite: nil)
                    ]),
                ModelPricing(
                    match: Glob("claude-3-5-haiku*"),
                    prices: [
                        PricePoint(
                            from: day("2024-11-04"), input: Decimal(string: "0.80")!, output: 4,
                            cacheRead: Decimal(string: "0.08")!, cacheWrite: 1)
                    ]),
                // Hostile model names still need prices: the first two hostile models share these.
                ModelPricing(
                    match: Glob(labels.models[0]),
                    prices: sonnet),
                ModelPricing(
                    match: Glob(labels.models[1]),
                    prices: [
                        PricePoint(
                            from: day("2024-08-06"), input: Decimal(string: "2.50")!, output: 10,
                            cacheRead: Decimal(string: "1.25")!, cacheWrite: nil)
                    ]),
                ModelPricing(
                    match: Glob(labels.models[2]),
                    prices: [
                        PricePoint(
                            from: day("2024-11-04"), input: Decimal(string: "0.80")!, output: 4,
                            cacheRead: Decimal(string: "0.08")!, cacheWrite: 1)
                    ]),
            ], unpriced: .warn)
        // No input_includes_cache: agentgateway's defaults (Anthropic excludes cache tokens, OpenAI includes them).
        let metrics = MetricSettings()

        // Hourly tokens: a daily rhythm, a spike on the first day, nothing at night on gateway 4.
        func hours(_ base: Int64, spike: Int64 = 1, quiet: Bool = false) -> [Int64] {
            (0..<buckets.hourCount).map { hour in
                let local = hour % 24
                if quiet && (local < 8 || local > 18) { return 0 }
                let rhythm = Int64(local < 7 ? 1 : local < 19 ? 4 : 2)
                return base * rhythm * (hour < 24 ? spike : 1) + Int64(hour * 37 % 101)
            }
        }
        let g = labels.gateways
        let m = labels.models
        let usage: [UsageKey: [Int64]] = [
            UsageKey(gateway: g[0], model: m[0], tokenType: "input", system: "anthropic"): hours(60_000, spike: 6),
            UsageKey(gateway: g[0], model: m[0], tokenType: "output", system: "anthropic"): hours(8_000, spike: 6),
            UsageKey(gateway: g[0], model: m[0], tokenType: "input_cache_read", system: "anthropic"): hours(150_000),
            UsageKey(gateway: g[1], model: m[1], tokenType: "input", system: "openai"): hours(90_000),
            UsageKey(gateway: g[1], model: m[1], tokenType: "input_cache_read", system: "openai"): hours(30_000),
            UsageKey(gateway: g[1], model: m[1], tokenType: "output", system: "openai"): hours(12_000),
            UsageKey(gateway: g[2], model: m[2], tokenType: "output", system: "anthropic"): hours(20_000),
            UsageKey(gateway: g[3], model: m[3], tokenType: "output", system: "", extras: []): hours(500, quiet: true),
        ]
        let priced = try Pricing.price(
            usage: usage, buckets: buckets, book: book, metrics: metrics,
            dimensions: UsageDimensions(labels: metrics.labels, extraLabels: []),
            pricingFile: "pricing.yaml")
        let teams = TeamBook(
            teams: [
                Team(
                    name: labels.teams[0], costCenter: labels.costCenters[0], owner: "lead-search@example.com",
                    monthlyBudget: 400),
                Team(
                    name: labels.teams[1], costCenter: labels.costCenters[1], owner: "lead-research@example.com",
                    monthlyBudget: 300),
            ],
            rules: [
                TeamRule(match: ["gateway": Glob(g[0])], action: .team(labels.teams[0]), origin: "teams.yaml:8"),
                TeamRule(
                    match: ["gateway": Glob(g[1])],
                    action: .split([(labels.teams[0], Decimal(60)), (labels.teams[1], Decimal(40))]),
                    origin: "teams.yaml:10"),
                TeamRule(match: ["gateway": Glob(g[2])], action: .shared(.proportional), origin: "teams.yaml:12"),
            ], unallocated: .report)
        let dimensions = UsageDimensions(labels: LabelNames(), extraLabels: [])
        let allocation = try Allocator.allocate(
            lines: priced.lines, book: teams, dimensions: dimensions, teamsFile: "teams.yaml",
            buckets: buckets.ledgerBuckets(hourly: hourly), hourly: hourly)

        var coverage = Coverage()
        coverage.series = 16
        coverage.samples = 4_620
        coverage.missedSamples = 12
        let gapStart = DateText.parseInstant("2026-10-25T13:59:30Z")!
        coverage.gaps = [
            Coverage.GapEvent(
                series: "s1", target: "\(g[0]) pod-a", from: gapStart,
                to: gapStart.addingTimeInterval(180), apportioned: true)
        ]
        coverage.resets = [Coverage.Event(series: "s1", at: DateText.parseInstant("2026-10-25T14:02:30Z")!)]
        var config = ChargebackConfig(
            prometheus: PrometheusSettings(url: URL(string: "http://prometheus.example:9090")!), metrics: metrics,
            pricing: book, teams: teams, timeZone: zone,
            thresholds: Thresholds(daily: 50, weekly: 200, monthly: 500), gapFactor: 1.5,
            files: [
                InputFileRecord(role: "config", path: "chargeback.yaml", contents: Data("config".utf8)),
                InputFileRecord(role: "pricing", path: "pricing.yaml", contents: Data("pricing".utf8)),
                InputFileRecord(role: "teams", path: "teams.yaml", contents: Data("teams".utf8)),
            ])
        configure(&config)
        let exact = Dictionary(
            priced.lines.map { ("\($0.key.gateway)|\($0.key.tokenType)", $0.tokens) },
            uniquingKeysWith: +)
        let dashboard = [
            Reconciliation.Row(
                gateway: g[0], tokenType: "input", increase: Double(exact["\(g[0])|input"] ?? 0) * 1.0021,
                exact: exact["\(g[0])|input"] ?? 0)
        ]
        let report = Report(
            toolVersion: "1.2.3-test", generatedAt: generatedAt,
            period: period, buckets: buckets, partial: false, prometheusURL: "http://prometheus.example:9090",
            config: config, lines: priced.lines, allocation: allocation,
            assessment: Assess.assess(
                lines: priced.lines, allocation: allocation, buckets: buckets,
                period: period, config: config,
                reconciliation: Reconciliation(dashboard: dashboard, gatewayCost: [])),
            coverage: coverage, queries: [],
            diagnostics: priced.diagnostics + [.warning("some usage matches no team rule and is shown as Unallocated")],
            cacheRules: priced.cacheRules)
        return (report, config)
    }
}
