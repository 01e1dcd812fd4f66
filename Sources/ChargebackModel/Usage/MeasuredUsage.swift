import Foundation

/// The raw result of the Fetch and Usage stages.
public struct MeasuredUsage: Sendable {
    /// Exact hourly token increases per key.
    public package(set) var tokens: [UsageKey: [Int64]]
    public let coverage: Coverage
    /// The gateway's own cost counter, hourly, in nano-USD per gateway; empty when not exported.
    public let gatewayCostNanos: [String: [Int64]]
    /// `increase()` over the whole period per gateway and token type, as a dashboard computes it.
    public let dashboardIncrease: [DashboardFigure]
    public let queries: [QueryRecord]
    public var diagnostics: [Diagnostic]
    /// Per `input` key and hour, whether most of it came from agentgateway builds after v1.4.1
    /// (``BuildConvention``); empty when no target reports its build.
    public var newerBuilds: [UsageKey: [Bool?]] = [:]
    /// The response models seen per provider and request model (Prometheus series only; the store
    /// keeps no labels beyond the key).
    public var responseModels = ResponseModels()
    /// Per hour of the period, samples counted and missed, and the series seen in the period
    /// (first and last sample, ms): what the usage store keeps of the coverage.
    public var hourSamples: [Int] = []
    public var hourMissedSamples: [Int] = []
    public var seriesInPeriod: [(identity: String, first: Int64, last: Int64)] = []
    /// With ``UsageFetcher/keepsHourEnds``: per series, its last sample read raw in each hour of
    /// the period, and its samples per hour (summed hours included), for the counter states.
    public var lastFedInHour: [String: [Int: SeriesState]] = [:]
    public var samplesBySeries: [String: [Int]] = [:]
    /// With ``UsageFetcher/continuing``: the series that continued from a stored state.
    public var continuedUsage: [ContinuedSeries] = []
    /// agentgateway's catalog lookups in the period per gateway and status, and the builds per
    /// gateway (``GatewayPricingView``).
    public var catalogLookups: [String: [String: Int64]] = [:]
    public var gatewayBuilds: [String: Set<String>] = [:]
    /// Requests per hour and `input` key, from the `requests` counter (the token histogram's count
    /// of `input` observations, ``TeamRequests``); `nil` when not measured (no series of it, or
    /// stored hours without them).
    public var requests: [UsageKey: [Int64]]?

    package init(
        tokens: [UsageKey: [Int64]], coverage: Coverage, gatewayCostNanos: [String: [Int64]],
        dashboardIncrease: [DashboardFigure], queries: [QueryRecord], diagnostics: [Diagnostic],
        newerBuilds: [UsageKey: [Bool?]] = [:], hourSamples: [Int] = [], hourMissedSamples: [Int] = [],
        seriesInPeriod: [(identity: String, first: Int64, last: Int64)] = [],
        lastFedInHour: [String: [Int: SeriesState]] = [:], samplesBySeries: [String: [Int]] = [:],
        continuedUsage: [ContinuedSeries] = []
    ) {
        self.tokens = tokens
        self.coverage = coverage
        self.gatewayCostNanos = gatewayCostNanos
        self.dashboardIncrease = dashboardIncrease
        self.queries = queries
        self.diagnostics = diagnostics
        self.newerBuilds = newerBuilds
        self.hourSamples = hourSamples
        self.hourMissedSamples = hourMissedSamples
        self.seriesInPeriod = seriesInPeriod
        self.lastFedInHour = lastFedInHour
        self.samplesBySeries = samplesBySeries
        self.continuedUsage = continuedUsage
    }
}

/// What PromQL `increase()` says for one gateway and token type over the period.
public struct DashboardFigure: Sendable, Equatable {
    public let gateway: String
    public let tokenType: String
    public let tokens: Double

    package init(gateway: String, tokenType: String, tokens: Double) {
        self.gateway = gateway
        self.tokenType = tokenType
        self.tokens = tokens
    }
}

/// Which response models (`gen_ai_response_model`, often dated ids) each provider's request model
/// was answered with, from the series' labels.
public struct ResponseModels: Sendable, Equatable {
    /// `provider \0 request model` → response models.
    public private(set) var byKey: [String: Set<String>] = [:]

    public init() {}

    static func key(provider: String, model: String) -> String { provider + "\u{0}" + model }

    mutating func add(_ answered: String, provider: String, model: String) {
        byKey[Self.key(provider: provider, model: model), default: []].insert(answered)
    }

    /// The request models of `provider` answered as `answered`, sorted.
    public func requestModels(provider: String, answeredAs answered: String) -> [String] {
        let prefix = provider + "\u{0}"
        return byKey.filter { $0.key.hasPrefix(prefix) && $0.value.contains(answered) }
            .map { String($0.key.dropFirst(prefix.count)) }.sorted()
    }
}
