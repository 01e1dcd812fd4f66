/// The four token counters agentgateway exports, in report order.
enum TokenType: Int, CaseIterable {
    case input, output, cacheRead, cacheWrite

    /// The `gen_ai_token_type` label value.
    var label: String {
        switch self {
        case .input: "input"
        case .output: "output"
        case .cacheRead: "input_cache_read"
        case .cacheWrite: "input_cache_write"
        }
    }
}

/// Token counts of one request (or an aggregate), indexed by `TokenType`.
struct TokenCounts {
    var input: Int64 = 0
    var output: Int64 = 0
    var cacheRead: Int64 = 0
    var cacheWrite: Int64 = 0

    subscript(type: TokenType) -> Int64 {
        get {
            switch type {
            case .input: input
            case .output: output
            case .cacheRead: cacheRead
            case .cacheWrite: cacheWrite
            }
        }
        set {
            switch type {
            case .input: input = newValue
            case .output: output = newValue
            case .cacheRead: cacheRead = newValue
            case .cacheWrite: cacheWrite = newValue
            }
        }
    }
}

/// Cost in micro-cents (1e-8 USD): tokens × (price in cents per million tokens) is exact in this unit.
typealias MicroCents = Int64

/// A priced model as the gateways report it.
struct Model {
    let id: String
    let system: String
    /// Cents per million tokens by `TokenType`; nil where the provider has no such counter.
    let centsPerMillion: [Int64?]
    /// Whether the provider's `input` counter already includes cache-read tokens.
    let inputIncludesCacheRead: Bool
    let tokens: TokenProfile

    /// The request's true cost, never double-counting cache tokens.
    func cost(of counts: TokenCounts) -> MicroCents {
        var total: MicroCents = 0
        for type in TokenType.allCases {
            var tokens = counts[type]
            if type == .input, inputIncludesCacheRead { tokens -= counts[.cacheRead] }
            total += tokens * (centsPerMillion[type.rawValue] ?? 0)
        }
        return total
    }
}

/// Request-size distributions (log-normal medians and shapes; probabilities of cache use).
struct TokenProfile {
    let inputMedian: Double, inputSigma: Double
    let outputMedian: Double, outputSigma: Double
    let cacheReadChance: Double, cacheReadMedian: Double
    let cacheWriteChance: Double, cacheWriteMedian: Double
}

/// The three models of the simulated world, indexed by position.
enum Catalog {
    static let haiku = 0, sonnet = 1, gpt4o = 2

    static let models: [Model] = [
        Model(
            id: "claude-3-5-haiku-20241022", system: "anthropic",
            centsPerMillion: [80, 400, 8, 100], inputIncludesCacheRead: false,
            tokens: TokenProfile(
                inputMedian: 500, inputSigma: 0.9, outputMedian: 170, outputSigma: 0.8,
                cacheReadChance: 0.55, cacheReadMedian: 1_900,
                cacheWriteChance: 0.15, cacheWriteMedian: 1_300)),
        Model(
            id: "claude-sonnet-4-5-20250929", system: "anthropic",
            centsPerMillion: [300, 1_500, 30, 375], inputIncludesCacheRead: false,
            tokens: TokenProfile(
                inputMedian: 680, inputSigma: 0.9, outputMedian: 260, outputSigma: 0.8,
                cacheReadChance: 0.6, cacheReadMedian: 2_800,
                cacheWriteChance: 0.3, cacheWriteMedian: 1_450)),
        Model(
            id: "gpt-4o-2024-08-06", system: "openai",
            centsPerMillion: [250, 1_000, 125, nil], inputIncludesCacheRead: true,
            tokens: TokenProfile(
                inputMedian: 900, inputSigma: 0.9, outputMedian: 210, outputSigma: 0.8,
                cacheReadChance: 0.5, cacheReadMedian: 0,
                cacheWriteChance: 0, cacheWriteMedian: 0)),
    ]

    static let namespace = "kgateway-system"
    static let job = "agentgateway"
    static let tokenMetric = "agentgateway_gen_ai_client_token_usage_sum"
    /// The histogram's count: observations, one per request and token type.
    static let requestMetric = "agentgateway_gen_ai_client_token_usage_count"
    static let costMetric = "agentgateway_gen_ai_client_cost_usd_total"
}
