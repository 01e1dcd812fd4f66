import Foundation

/// How a report's money is based: on measured usage at the price book's prices, or on the invoices.
public enum AllocationBasis: String, Sendable, CaseIterable {
    case measured, invoice
}

/// `--basis invoice`: replaces measured cost by the invoices' amounts before allocation.
///
/// Each invoiced amount (provider × model pattern × invoice interval) is spread over the usage of
/// that provider and pattern in that interval in proportion to its measured cost, hour by hour, so
/// the team rules then allocate exactly the invoices. An amount no usage covers becomes a line of
/// its own (token type `invoice_only`) that goes to `Unallocated`. Usage of an invoiced provider in
/// hours no invoice line covers costs 0 (nothing billed it); providers no invoice names keep their
/// measured cost. Invoice lines outside the period are left out.
public enum TrueUp {
    /// The token type of lines that carry invoiced amounts no usage covers.
    public static let invoiceOnlyType = "invoice_only"

    /// - Returns: the lines to allocate (sorted by key), and a warning per uncovered amount.
    public static func lines(
        _ lines: [CostLine], invoices: [Invoice], buckets: Buckets,
        book: PriceBook, responses: ResponseModels = ResponseModels()
    ) -> (lines: [CostLine], diagnostics: [Diagnostic]) {
        let period = buckets.period
        var amounts: [Reconciler.Group: [DateInterval: Decimal]] = [:]
        let whole = Reconciler.providerLevel(invoices, period: period)
        for invoice in invoices {
            for line in invoice.lines where line.start >= period.start && line.start < period.end {
                let key = Reconciler.Group(
                    provider: line.provider,
                    model: Reconciler.isWhole(line, whole)
                        ? Reconciler.allModels
                        : Reconciler.invoiceGroup(
                            line.model, provider: line.provider, book: book, responses: responses
                        )
                        .model)
                amounts[key, default: [:]][Reconciler.interval(line, buckets: buckets), default: 0] += line.amount
            }
        }
        guard !amounts.isEmpty else { return (lines, []) }
        let providers = Set(amounts.keys.map(\.provider))
        var members: [Reconciler.Group: [Int]] = [:]
        for (index, line) in lines.enumerated() where providers.contains(line.key.system) {
            let key = Reconciler.Group(
                provider: line.key.system,
                model: whole.contains(line.key.system)
                    ? Reconciler.allModels : Reconciler.group(line.key.model, provider: line.key.system, book: book))
            members[key, default: []].append(index)
        }
        var costs = lines.map {
            providers.contains($0.key.system)
                ? [Decimal](repeating: 0, count: $0.hourlyCost.count)
                : $0.hourlyCost
        }
        var extra: [CostLine] = []
        var diagnostics: [Diagnostic] = []
        for key in amounts.keys.sorted(by: { ($0.provider, $0.model) < ($1.provider, $1.model) }) {
            for (interval, amount) in amounts[key]!.sorted(by: { $0.key.start < $1.key.start }) where amount != 0 {
                let hours = (0..<buckets.hourCount).filter {
                    let start = buckets.hourStart($0)
                    return start >= interval.start && start < interval.end
                }
                let indices = members[key] ?? []
                let measured = indices.reduce(Decimal(0)) { sum, index in
                    hours.reduce(sum) { $0 + lines[index].hourlyCost[$1] }
                }
                guard measured > 0 else {
                    var hourly = [Decimal](repeating: 0, count: buckets.hourCount)
                    let millis = Int64((interval.start.timeIntervalSince1970 * 1000).rounded())
                    hourly[hours.first ?? buckets.hourIndex(millis: millis) ?? 0] = amount
                    let model = key.model.isEmpty ? "(no model)" : key.model
                    extra.append(
                        CostLine(
                            key: UsageKey(gateway: "", model: model, tokenType: invoiceOnlyType, system: key.provider),
                            hourlyTokens: [Int64](repeating: 0, count: buckets.hourCount),
                            hourlyCost: hourly, cacheTokensExcluded: 0, unpriced: false))
                    diagnostics.append(
                        .warning(
                            "\(key.provider) \(model): \(DecimalText.cents(Money.round(amount))) invoiced for "
                                + "\(DateText.utc(interval.start)) to \(DateText.utc(interval.end)) covers no "
                                + "measured usage; allocated to \(TeamBook.unallocatedName)"))
                    continue
                }
                for index in indices {
                    for hour in hours where lines[index].hourlyCost[hour] != 0 {
                        costs[index][hour] += lines[index].hourlyCost[hour] * amount / measured
                    }
                }
            }
        }
        // Keep each line's own price stretches (its unit prices stay the list prices it was measured at).
        var result = zip(lines, costs).map { line, cost in
            CostLine(
                key: line.key, hourlyTokens: line.hourlyTokens, hourlyBillable: line.hourlyBillable, hourlyCost: cost,
                stretches: line.stretches, cacheTokensExcluded: line.cacheTokensExcluded, unpriced: line.unpriced)
        }
        // Invoice-only amounts of one key in different intervals make one line.
        var merged: [UsageKey: CostLine] = [:]
        for line in extra {
            if let known = merged[line.key] {
                merged[line.key] = CostLine(
                    key: line.key, hourlyTokens: known.hourlyTokens,
                    hourlyCost: zip(known.hourlyCost, line.hourlyCost).map { $0 + $1 },
                    cacheTokensExcluded: 0, unpriced: false)
            } else {
                merged[line.key] = line
            }
        }
        result += merged.values
        return (result.sorted { $0.key < $1.key }, diagnostics)
    }

    /// The team book with a first rule that sends invoice-only lines to `Unallocated`.
    public static func book(_ teams: TeamBook) -> TeamBook {
        let rule = TeamRule(
            match: ["token_type": Glob(invoiceOnlyType)], action: .team(TeamBook.unallocatedName),
            origin: "invoice only")
        var book = TeamBook(teams: teams.teams, rules: [rule] + teams.rules, unallocated: teams.unallocated)
        book.directory = teams.directory
        return book
    }
}
