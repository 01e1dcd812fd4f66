import Foundation

/// A run of hours of one key priced at one price (or at none).
public struct PriceStretch: Sendable, Equatable {
    /// Hour buckets of the period, consecutive.
    public let hours: Range<Int>
    /// USD per million tokens, `nil` when the book has no price for these hours.
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
/// subtraction); cost is what those tokens are billed (unrounded, USD).
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

    public var tokens: Int64 { hourlyTokens.reduce(0, +) }
    public var billableTokens: Int64 { hourlyBillable.reduce(0, +) }
    public var cost: Decimal { hourlyCost.reduce(0, +) }

    public init(key: UsageKey, hourlyTokens: [Int64], hourlyBillable: [Int64], hourlyCost: [Decimal],
                stretches: [PriceStretch], cacheTokensExcluded: Int64, unpriced: Bool) {
        self.key = key
        self.hourlyTokens = hourlyTokens
        self.hourlyBillable = hourlyBillable
        self.hourlyCost = hourlyCost
        self.stretches = stretches
        self.cacheTokensExcluded = cacheTokensExcluded
        self.unpriced = unpriced
    }

    /// A line with no price information beyond its cost: every token billable, one unpriced stretch.
    public init(key: UsageKey, hourlyTokens: [Int64], hourlyCost: [Decimal], cacheTokensExcluded: Int64, unpriced: Bool) {
        self.init(key: key, hourlyTokens: hourlyTokens, hourlyBillable: hourlyTokens, hourlyCost: hourlyCost,
                  stretches: [PriceStretch(hours: 0..<hourlyTokens.count, perMillion: nil, since: nil)],
                  cacheTokensExcluded: cacheTokensExcluded, unpriced: unpriced)
    }
}

/// The Price stage: applies the effective-dated price book to hourly usage.
public enum Pricing {
    /// Prices every key's hourly tokens at the prices in force at each hour's start.
    ///
    /// For providers whose `input` counter includes cached tokens (`input_includes_cache`), the
    /// cache-read and cache-write tokens of the same gateway, model and hour are subtracted from
    /// `input` before it is priced, so no token is billed twice.
    /// - Returns: the lines sorted by key, and diagnostics for unpriced models and unknown token types.
    /// - Throws: ``InputError`` on unpriced usage when the book says `unpriced: error`.
    public static func price(usage: [UsageKey: [Int64]], buckets: Buckets, book: PriceBook, metrics: MetricSettings,
                             pricingFile: String) throws -> (lines: [CostLine], diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var unpricedModels = Set<String>()
        var lines: [CostLine] = []
        let million = Decimal(1_000_000)
        for key in usage.keys.sorted() {
            let tokens = usage[key]!
            guard let kind = TokenKind(tokenType: key.tokenType) else {
                diagnostics.append(.warning("token type '\(key.tokenType)' on \(key.gateway) \(key.model) is not one of "
                                            + "input, output, input_cache_read, input_cache_write: left unpriced"))
                lines.append(CostLine(key: key, hourlyTokens: tokens, hourlyCost: Array(repeating: 0, count: tokens.count),
                                      cacheTokensExcluded: 0, unpriced: true))
                continue
            }
            var billable = tokens
            var excluded: Int64 = 0
            if kind == .input && metrics.inputIncludesCache(system: key.system) {
                for cacheType in ["input_cache_read", "input_cache_write"] {
                    let sibling = UsageKey(gateway: key.gateway, model: key.model, tokenType: cacheType,
                                           system: key.system, extras: key.extras)
                    guard let cache = usage[sibling] else { continue }
                    for hour in billable.indices {
                        let cut = min(billable[hour], cache[hour])
                        billable[hour] -= cut
                        excluded += cut
                    }
                }
            }
            let entry = book.entry(for: key.model)
            var cost = [Decimal](repeating: 0, count: tokens.count)
            var stretches: [PriceStretch] = []
            var unpriced = false
            for hour in tokens.indices {
                let point = entry?.price(at: buckets.hourStart(hour))
                let perMillion = point?.perMillion(kind)
                if let last = stretches.last, last.perMillion == perMillion {
                    stretches[stretches.count - 1] = PriceStretch(hours: last.hours.lowerBound..<(hour + 1),
                                                                  perMillion: perMillion, since: last.since)
                } else {
                    stretches.append(PriceStretch(hours: hour..<(hour + 1), perMillion: perMillion,
                                                  since: perMillion == nil ? nil : point?.from))
                }
                guard billable[hour] != 0 else { continue }
                guard let perMillion else {
                    unpriced = true
                    continue
                }
                cost[hour] = Decimal(billable[hour]) * perMillion / million
            }
            if unpriced { unpricedModels.insert("\(key.model) (\(kind.rawValue))") }
            lines.append(CostLine(key: key, hourlyTokens: tokens, hourlyBillable: billable, hourlyCost: cost,
                                  stretches: stretches, cacheTokensExcluded: excluded, unpriced: unpriced))
        }
        if !unpricedModels.isEmpty {
            let list = unpricedModels.sorted().joined(separator: ", ")
            if book.unpriced == .error {
                throw InputError(file: pricingFile, "no price for \(list) at the time of use; add a models: entry "
                                 + "(or an earlier 'from:' date), or set 'unpriced: warn' to price them at 0")
            }
            diagnostics.append(.warning("unpriced usage (priced at 0): \(list)"))
        }
        return (lines, diagnostics)
    }
}
