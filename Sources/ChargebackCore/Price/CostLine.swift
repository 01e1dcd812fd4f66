import Foundation

/// Measured usage of one key with its cost, hour by hour. Tokens are as measured (before any cache
/// subtraction); cost is what those tokens are billed (unrounded, USD).
public struct CostLine: Sendable, Equatable {
    public let key: UsageKey
    public let hourlyTokens: [Int64]
    public let hourlyCost: [Decimal]
    /// Tokens subtracted from `input` because the provider counts cached tokens inside it.
    public let cacheTokensExcluded: Int64
    /// Whether any of this line's usage had no price.
    public let unpriced: Bool

    public var tokens: Int64 { hourlyTokens.reduce(0, +) }
    public var cost: Decimal { hourlyCost.reduce(0, +) }

    public init(key: UsageKey, hourlyTokens: [Int64], hourlyCost: [Decimal], cacheTokensExcluded: Int64, unpriced: Bool) {
        self.key = key
        self.hourlyTokens = hourlyTokens
        self.hourlyCost = hourlyCost
        self.cacheTokensExcluded = cacheTokensExcluded
        self.unpriced = unpriced
    }
}
