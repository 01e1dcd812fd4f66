import Foundation

/// What the Price stage hands on: the priced lines, its diagnostics, and which cache rules decided.
public struct PricedUsage: Sendable {
    /// One line per usage key, sorted by key.
    public let lines: [CostLine]
    public let diagnostics: [Diagnostic]
    /// The `input_includes_cache` rules that decided some hour, in rule order.
    public let cacheRules: [CacheRuleUse]
}

/// The Price stage: applies the effective-dated price book to hourly usage.
public enum Pricing {
    /// Prices every key's hourly tokens at the prices in force at each hour's start.
    ///
    /// For usage whose `input` counter includes cached tokens under the cache rule in force at an
    /// hour (``CacheRules``), the cache-read and cache-write tokens of the same key and hour are
    /// subtracted from that hour's `input` before it is priced, so no token is billed twice. An hour
    /// with more cache tokens than `input` under such a rule is a contradiction: the cut is clamped
    /// at the `input` and a warning names the key and the rule. A key whose hours are decided by
    /// rules that disagree (an upgrade seen in the build info, a rule's `from:`) gets a warning
    /// naming the switch times and both rules.
    /// - Parameter dimensions: how rule keys read a ``UsageKey`` (its extra labels).
    /// - Parameter newerBuilds: per `input` key and hour, whether it came from agentgateway builds
    ///   after v1.4.1; where it did and only a v1.4.x default would decide,
    ///   ``CacheRules/agentgatewayAfterV141`` decides instead.
    /// - Parameter conversion: the exchange rate into the report's currency: prices and costs come
    ///   out converted, exactly (the ledger rounds later); `nil` keeps the book's currency.
    /// - Returns: the lines sorted by key, diagnostics for unpriced models, unknown token types and
    ///   contradictions, and the cache rules used.
    /// - Throws: ``InputError`` on unpriced usage when the book says `unpriced: error`.
    public static func price(
        usage: [UsageKey: [Int64]], buckets: Buckets, book: PriceBook, metrics: MetricSettings,
        dimensions: UsageDimensions, pricingFile: String, newerBuilds: [UsageKey: [Bool?]] = [:],
        conversion: Conversion? = nil
    ) throws -> PricedUsage {
        // Keys priced on every core, a slice each; merged in key order.
        let keys = usage.keys.sorted()
        let slices = ChunkedMap.map(count: keys.count) { range in
            priceKeys(
                keys[range], usage: usage, buckets: buckets, book: book, metrics: metrics, dimensions: dimensions,
                newerBuilds: newerBuilds, rate: conversion?.rate ?? 1)
        }
        var diagnostics = slices.flatMap(\.diagnostics)
        var uses = CacheRuleTally()
        for slice in slices { uses.absorb(slice.uses) }
        let decisions = slices.reduce(into: [UsageKey: [CacheRule?]]()) { all, slice in
            all.merge(slice.decisions) { first, _ in first }
        }
        let unpricedModels = slices.reduce(into: Set<String>()) { $0.formUnion($1.unpricedModels) }
        let lines = slices.flatMap(\.lines)
        diagnostics += ConventionChanges.diagnostics(decisions, buckets: buckets)
        if !unpricedModels.isEmpty {
            let list = unpricedModels.sorted().joined(separator: ", ")
            if book.unpriced == .error {
                throw InputError(
                    file: pricingFile,
                    "no price for \(list) at the time of use; add a models: entry "
                        + "(or an earlier 'from:' date), or set 'unpriced: warn' to price them at 0")
            }
            diagnostics.append(.warning("unpriced usage (priced at 0): \(list)"))
        }
        return PricedUsage(
            lines: lines, diagnostics: diagnostics,
            cacheRules: uses.list(order: metrics.inputIncludesCache.effective + [CacheRules.agentgatewayAfterV141]))
    }

    /// What pricing a slice of the keys gives, to merge in key order.
    private struct PricedSlice {
        var lines: [CostLine] = []
        var diagnostics: [Diagnostic] = []
        var uses = CacheRuleTally()
        var decisions: [UsageKey: [CacheRule?]] = [:]
        var unpricedModels = Set<String>()
    }

    /// Prices `keys` (a slice of the sorted keys) hour by hour.
    private static func priceKeys(
        _ keys: ArraySlice<UsageKey>, usage: [UsageKey: [Int64]], buckets: Buckets, book: PriceBook,
        metrics: MetricSettings, dimensions: UsageDimensions, newerBuilds: [UsageKey: [Bool?]], rate: Decimal
    ) -> PricedSlice {
        var slice = PricedSlice()
        for key in keys {
            let tokens = usage[key]!
            guard let kind = TokenKind(tokenType: key.tokenType) else {
                slice.diagnostics.append(
                    .warning(
                        "token type '\(key.tokenType)' on \(key.gateway) \(key.model) is not one of "
                            + "input, output, input_cache_read, input_cache_write: left unpriced"))
                slice.lines.append(
                    CostLine(
                        key: key, hourlyTokens: tokens, hourlyCost: Array(repeating: 0, count: tokens.count),
                        cacheTokensExcluded: 0, unpriced: true))
                continue
            }
            var billable = tokens
            var excluded: Int64 = 0
            if kind == .input {
                let cut = cacheCut(
                    key: key, input: tokens, usage: usage, buckets: buckets,
                    rules: metrics.inputIncludesCache, dimensions: dimensions, newer: newerBuilds[key],
                    uses: &slice.uses)
                for hour in billable.indices { billable[hour] -= cut.cut[hour] }
                excluded = cut.cut.reduce(0, +)
                slice.diagnostics += cut.diagnostics
                slice.decisions[key] = cut.decided
            }
            let entry = book.entry(for: key, dimensions: dimensions)
            var cost = [Decimal](repeating: 0, count: tokens.count)
            var stretches: [PriceStretch] = []
            var unpriced = false
            // The price of one token, divided once per stretch (the same exact value as dividing each hour's cost).
            var perToken: (perMillion: Decimal, price: Decimal)?
            for hour in tokens.indices {
                let point = entry?.price(at: buckets.hourStart(hour))
                let perMillion = point?.perMillion(kind).map { rate == 1 ? $0 : $0 * rate }
                if let last = stretches.last, last.perMillion == perMillion {
                    stretches[stretches.count - 1] = PriceStretch(
                        hours: last.hours.lowerBound..<(hour + 1),
                        perMillion: perMillion, since: last.since)
                } else {
                    stretches.append(
                        PriceStretch(
                            hours: hour..<(hour + 1), perMillion: perMillion,
                            since: perMillion == nil ? nil : point?.from))
                }
                guard billable[hour] != 0 else { continue }
                guard let perMillion else {
                    unpriced = true
                    continue
                }
                if perToken?.perMillion != perMillion { perToken = (perMillion, Money.perToken(perMillion)) }
                cost[hour] = Decimal(billable[hour]) * perToken!.price
            }
            if unpriced { slice.unpricedModels.insert("\(key.model) (\(kind.rawValue))") }
            slice.lines.append(
                CostLine(
                    key: key, hourlyTokens: tokens, hourlyBillable: billable, hourlyCost: cost,
                    stretches: stretches, cacheTokensExcluded: excluded, unpriced: unpriced))
        }
        return slice
    }

    /// The tokens to take out of one `input` key, hour by hour, under the cache rule in force at each
    /// hour, with a warning per rule whose hours hold more cache tokens than `input`, and the rule
    /// that decided each hour (`nil` for hours without tokens).
    private static func cacheCut(
        key: UsageKey, input: [Int64], usage: [UsageKey: [Int64]], buckets: Buckets,
        rules: CacheRules, dimensions: UsageDimensions, newer: [Bool?]?,
        uses: inout CacheRuleTally
    ) -> (cut: [Int64], diagnostics: [Diagnostic], decided: [CacheRule?]) {
        let siblings = ["input_cache_read", "input_cache_write"].compactMap {
            usage[
                UsageKey(
                    gateway: key.gateway, model: key.model, tokenType: $0, system: key.system,
                    extras: key.extras)]
        }
        var cached = [Int64](repeating: 0, count: input.count)
        for sibling in siblings { for hour in cached.indices { cached[hour] += sibling[hour] } }
        let candidates = rules.candidates { dimensions.value(of: $0, in: key) }
        var cut = [Int64](repeating: 0, count: input.count)
        var decided = [CacheRule?](repeating: nil, count: input.count)
        var contradictions: [CacheRule: (hours: Int, first: Int)] = [:]
        // The rules in force over this key's hours (one or a few), tallied once per key.
        var tally: [(rule: CacheRule, hours: Int, excluded: Int64)] = []
        for hour in input.indices where input[hour] != 0 || cached[hour] != 0 {
            let start = buckets.hourStart(hour)
            // The last candidate has no start date, so one is always in force.
            var rule = candidates.first { $0.inForce(at: start) } ?? candidates[candidates.count - 1]
            if newer?[hour] == true, CacheRules.agentgatewayDefaults.contains(rule) {
                rule = CacheRules.agentgatewayAfterV141
            }
            if rule.includes {
                cut[hour] = min(input[hour], cached[hour])
                if cached[hour] > input[hour] {
                    contradictions[rule, default: (0, hour)].hours += 1
                }
            }
            if let index = tally.firstIndex(where: { $0.rule == rule }) {
                tally[index].hours += 1
                tally[index].excluded += cut[hour]
            } else {
                tally.append((rule, 1, cut[hour]))
            }
            decided[hour] = rule
        }
        for use in tally { uses.add(use.rule, key: key, hours: use.hours, excluded: use.excluded) }
        let diagnostics = contradictions.sorted { $0.value.first < $1.value.first }.map { rule, found in
            let first = DateText.utc(buckets.hourStart(found.first))
            return Diagnostic.warning(
                "\(key.gateway) \(key.model) (provider '\(key.system)'): \(found.hours) hour(s) have more cache tokens "
                    + "than input (first \(first): input \(input[found.first]), cache \(cached[found.first])), yet the "
                    + "rule \(rule.origin) says input includes them; the subtraction was clamped at the input. Check "
                    + "the rule for this provider and agentgateway version", at: rule.location)
        }
        return (cut, diagnostics, decided)
    }
}

/// Counts, per cache rule, the keys, hours and tokens it decided.
private struct CacheRuleTally {
    private var keys: [CacheRule: Set<UsageKey>] = [:]
    private var hours: [CacheRule: Int] = [:]
    private var excluded: [CacheRule: Int64] = [:]

    /// Adds another tally's counts (of other keys).
    mutating func absorb(_ other: CacheRuleTally) {
        for (rule, ruleKeys) in other.keys { keys[rule, default: []].formUnion(ruleKeys) }
        hours.merge(other.hours, uniquingKeysWith: +)
        excluded.merge(other.excluded, uniquingKeysWith: +)
    }

    mutating func add(_ rule: CacheRule, key: UsageKey, hours count: Int, excluded cut: Int64) {
        keys[rule, default: []].insert(key)
        hours[rule, default: 0] += count
        excluded[rule, default: 0] += cut
    }

    func list(order: [CacheRule]) -> [CacheRuleUse] {
        order.compactMap { rule in
            keys[rule].map {
                CacheRuleUse(rule: rule, keys: $0.count, hours: hours[rule] ?? 0, tokensExcluded: excluded[rule] ?? 0)
            }
        }
    }
}
