import Foundation

/// A run of hours of one key priced at one price (or at none).
public struct PriceStretch: Sendable, Equatable {
    /// Hour buckets of the period, consecutive.
    public let hours: Range<Int>
    /// Report currency per million tokens (the book's price × the exchange rate), `nil` when the
    /// book has no price for these hours.
    public let perMillion: Decimal?
    /// When this price took effect (the book's `from`), `nil` when unpriced.
    public let since: Date?

    public init(hours: Range<Int>, perMillion: Decimal?, since: Date?) {
        self.hours = hours
        self.perMillion = perMillion
        self.since = since
    }
}

/// Measured usage of one key with its cost, hour by hour. Tokens are as measured (before any cache
/// subtraction); cost is what those tokens are billed (unrounded, in the report's currency).
public struct CostLine: Sendable, Equatable {
    public let key: UsageKey
    public let hourlyTokens: [Int64]
    /// The tokens that are billed: `hourlyTokens` less cached tokens the provider counts inside `input`.
    public let hourlyBillable: [Int64]
    public let hourlyCost: [Decimal]
    /// The hours in runs of one price, covering every hour in order.
    public let stretches: [PriceStretch]
    /// Tokens subtracted from `input` because the provider counts cached tokens inside it.
    public let cacheTokensExcluded: Int64
    /// Whether any of this line's usage had no price.
    public let unpriced: Bool

    /// The hours' sums, added once (the renderers ask for them per row).
    public let tokens: Int64
    public let billableTokens: Int64
    public let cost: Decimal

    public init(
        key: UsageKey, hourlyTokens: [Int64], hourlyBillable: [Int64], hourlyCost: [Decimal],
        stretches: [PriceStretch], cacheTokensExcluded: Int64, unpriced: Bool
    ) {
        self.key = key
        self.hourlyTokens = hourlyTokens
        self.hourlyBillable = hourlyBillable
        self.hourlyCost = hourlyCost
        self.stretches = stretches
        self.cacheTokensExcluded = cacheTokensExcluded
        self.unpriced = unpriced
        tokens = hourlyTokens.reduce(0, +)
        billableTokens = hourlyBillable.reduce(0, +)
        cost = hourlyCost.reduce(0, +)
    }

    /// A line with no price information beyond its cost: every token billable, one unpriced stretch.
    public init(key: UsageKey, hourlyTokens: [Int64], hourlyCost: [Decimal], cacheTokensExcluded: Int64, unpriced: Bool)
    {
        self.init(
            key: key, hourlyTokens: hourlyTokens, hourlyBillable: hourlyTokens, hourlyCost: hourlyCost,
            stretches: [PriceStretch(hours: 0..<hourlyTokens.count, perMillion: nil, since: nil)],
            cacheTokensExcluded: cacheTokensExcluded, unpriced: unpriced)
    }
}
