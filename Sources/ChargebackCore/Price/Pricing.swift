import Foundation

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
            var unpriced = false
            for hour in tokens.indices where billable[hour] != 0 {
                guard let point = entry?.price(at: buckets.hourStart(hour)), let perMillion = point.perMillion(kind) else {
                    unpriced = true
                    continue
                }
                cost[hour] = Decimal(billable[hour]) * perMillion / million
            }
            if unpriced { unpricedModels.insert("\(key.model) (\(kind.rawValue))") }
            lines.append(CostLine(key: key, hourlyTokens: tokens, hourlyCost: cost, cacheTokensExcluded: excluded,
                                  unpriced: unpriced))
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
