import Foundation

/// Prices in USD per million tokens for one model pattern, effective from a date on.
public struct PricePoint: Equatable, Sendable {
    /// First instant (inclusive) at which these prices apply, UTC.
    public let from: Date
    public let input: Decimal?
    public let output: Decimal?
    public let cacheRead: Decimal?
    public let cacheWrite: Decimal?

    public init(from: Date, input: Decimal?, output: Decimal?, cacheRead: Decimal?, cacheWrite: Decimal?) {
        self.from = from
        self.input = input
        self.output = output
        self.cacheRead = cacheRead
        self.cacheWrite = cacheWrite
    }

    /// The price per million tokens for one kind of token, `nil` if the book does not set it.
    public func perMillion(_ kind: TokenKind) -> Decimal? {
        switch kind {
        case .input: input
        case .output: output
        case .cacheRead: cacheRead
        case .cacheWrite: cacheWrite
        }
    }
}

/// One `models:` entry of `pricing.yaml`: a glob on the model label, optional globs on other
/// labels, and its dated prices.
public struct ModelPricing: Equatable, Sendable {
    public let match: Glob
    /// Globs on labels besides the model that must all match too: logical names (`gateway`,
    /// `token_type`, `system`) or raw label names (`route`, a service tier set by a gateway policy).
    public let labels: [String: Glob]
    /// Sorted by `from`, strictly increasing.
    public let prices: [PricePoint]

    public init(match: Glob, labels: [String: Glob] = [:], prices: [PricePoint]) {
        self.match = match
        self.labels = labels
        self.prices = prices
    }

    /// Whether the model glob and every label glob match; `attributes` reads a dimension by rule key.
    public func matches(model: String, _ attributes: (String) -> String) -> Bool {
        match.matches(model) && labels.allSatisfy { key, glob in glob.matches(attributes(key)) }
    }

    /// The prices in force at `instant`, or `nil` before the first `from`.
    public func price(at instant: Date) -> PricePoint? {
        prices.last { $0.from <= instant }
    }
}

/// What to do with usage of a model no price matches.
public enum UnpricedPolicy: String, Sendable {
    /// Stop with an input error naming the model.
    case error
    /// Price it at zero and list it as unpriced in every report.
    case warn
}

/// The effective-dated price book of `pricing.yaml`.
public struct PriceBook: Equatable, Sendable {
    public let currency: String
    /// In file order; the first entry whose glob matches a model wins.
    public let models: [ModelPricing]
    public let unpriced: UnpricedPolicy
    /// Discounts, markup, fixed amounts and credits between list cost and net.
    public let adjustments: AdjustmentTerms

    public init(
        currency: String, models: [ModelPricing], unpriced: UnpricedPolicy,
        adjustments: AdjustmentTerms = AdjustmentTerms()
    ) {
        self.currency = currency
        self.models = models
        self.unpriced = unpriced
        self.adjustments = adjustments
    }

    /// The first entry whose model glob matches `model` and whose label globs, if any, match
    /// `attributes` (a dimension's value by rule key; every label reads empty when omitted).
    public func entry(for model: String, _ attributes: (String) -> String = { _ in "" }) -> ModelPricing? {
        models.first { $0.matches(model: model, attributes) }
    }

    /// The first entry that matches a usage key's model and labels.
    public func entry(for key: UsageKey, dimensions: UsageDimensions) -> ModelPricing? {
        entry(for: key.model) { dimensions.value(of: $0, in: key) }
    }

    /// The prices for `model` in force at `instant`.
    public func price(model: String, at instant: Date) -> PricePoint? {
        entry(for: model)?.price(at: instant)
    }

    /// Label keys the entries and discounts look at beyond the four logical dimensions.
    public var extraLabelKeys: [String] {
        let logical: Set<String> = ["gateway", "model", "token_type", "system"]
        return Set(models.flatMap(\.labels.keys) + adjustments.extraLabelKeys).subtracting(logical).sorted()
    }
}

/// The four kinds of tokens a price book prices.
public enum TokenKind: String, CaseIterable, Sendable {
    case input, output
    case cacheRead = "cache_read"
    case cacheWrite = "cache_write"

    /// The kind for a `gen_ai_token_type` label value (agentgateway's names), `nil` when unknown.
    public init?(tokenType: String) {
        guard let kind = Self.allCases.first(where: { $0.tokenTypes.contains(tokenType) }) else { return nil }
        self = kind
    }

    /// The `gen_ai_token_type` values that mean this kind, agentgateway's own name first.
    public var tokenTypes: [String] {
        switch self {
        case .input: ["input"]
        case .output: ["output"]
        case .cacheRead: ["input_cache_read", "cache_read"]
        case .cacheWrite: ["input_cache_write", "cache_write", "input_cache_creation"]
        }
    }

    /// Whether this kind is a cached part of the input.
    public var isCache: Bool { self == .cacheRead || self == .cacheWrite }
}
