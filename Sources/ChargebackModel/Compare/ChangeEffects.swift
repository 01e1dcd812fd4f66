import Foundation

/// The Compare stage: this period's ledger against the previous period's, per total, team,
/// gateway and model, with each change split into volume, price and mix.
///
/// An item is a usage key (gateway × model × token type × labels), for teams a team's share of
/// one; q its billable tokens, c its exact cost, p = c ÷ q its average price. For a scope with
/// items i, Q = Σ q and C = Σ c in each period (0 before, 1 now):
/// - price effect  P = Σ over items in both periods of (p₁ − p₀) · q₁ = c₁ − c₀ · q₁ ÷ q₀;
/// - volume effect V = (Q₁ − Q₀) · C₀ ÷ Q₀, the change in tokens at the old average price (all of
///   C₁ when the scope had no tokens before);
/// - mix effect    M = (C₁ − C₀) − P − V, tokens that moved between items of different prices.
/// They add up to the exact change. Each is rounded to cents (half away from zero) and the cents
/// the change in the ledgers' cents still needs (at most a few) go to the largest effect, so the
/// three add up to the change shown to the cent, and an effect that is exactly zero stays zero.
public enum Compare {
    /// Billable tokens and exact cost of one item in one period.
    struct Amount {
        var tokens: Int64 = 0
        var exact: Decimal = 0
    }

    /// Compares `current` with `previous` (both priced at their own periods' prices).
    public static func compare(current: PeriodFigures, previous: PeriodFigures, previousPeriod: Period) -> Comparison {
        var rows: [ChangeRow] = []
        func row(
            _ scope: ChangeRow.Scope, _ name: String, items: (PeriodFigures) -> [UsageKey: Amount],
            cents: (PeriodFigures) -> Decimal, models: [String: (Decimal, Decimal)]
        ) -> ChangeRow {
            let now = items(current)
            let before = items(previous)
            let cost = cents(current)
            let previousCost = cents(previous)
            let (volume, price, mix) = effects(now: now, before: before, centsChange: cost - previousCost)
            let leading = models.map { ($0.key, $0.value.0 - $0.value.1) }
                .max { ($0.1.magnitude, $1.0) < ($1.1.magnitude, $0.0) }
            return ChangeRow(
                scope: scope, name: name, cost: cost, previousCost: previousCost, volume: volume,
                price: price, mix: mix, leadingModel: leading.map { (name: $0.0, change: $0.1) })
        }
        let modelCents = { (figures: PeriodFigures, include: (String?, UsageKey) -> Bool) -> [String: Decimal] in
            var cents: [String: Decimal] = [:]
            for cell in figures.cells where include(cell.team, cell.key) {
                cents[cell.key.model, default: 0] += cell.cents
            }
            return cents
        }
        func models(_ include: @escaping (String?, UsageKey) -> Bool) -> [String: (Decimal, Decimal)] {
            let now = modelCents(current, include)
            let before = modelCents(previous, include)
            return Dictionary(
                uniqueKeysWithValues: Set(now.keys).union(before.keys).map { ($0, (now[$0] ?? 0, before[$0] ?? 0)) })
        }
        rows.append(
            row(
                .total, "Total", items: { $0.keyAmounts { _ in true } }, cents: \.roundedTotal,
                models: models { _, _ in true }))
        let teams = current.teamOrder + previous.teamOrder.filter { !current.teamOrder.contains($0) }
        for team in teams {
            rows.append(
                row(
                    .team, team, items: { $0.teamAmounts(team) }, cents: { $0.cents(team: team) },
                    models: models { owner, _ in owner == team }))
        }
        let gateways = Set(current.lines.map { $0.key.gateway }).union(previous.lines.map { $0.key.gateway }).sorted()
        for gateway in gateways {
            rows.append(
                row(
                    .gateway, gateway, items: { $0.keyAmounts { $0.gateway == gateway } },
                    cents: { $0.cents { $0.gateway == gateway } }, models: models { _, key in key.gateway == gateway }))
        }
        let modelNames = Set(current.lines.map { $0.key.model }).union(previous.lines.map { $0.key.model }).sorted()
        for model in modelNames {
            rows.append(
                row(
                    .model, model, items: { $0.keyAmounts { $0.model == model } },
                    cents: { $0.cents { $0.model == model } }, models: models { _, key in key.model == model }))
        }
        return Comparison(previous: previousPeriod, rows: rows, figures: (current, previous))
    }

    /// Volume, price and mix in cents for one scope, adding up to `centsChange`.
    static func effects(now: [UsageKey: Amount], before: [UsageKey: Amount], centsChange: Decimal)
        -> (volume: Decimal, price: Decimal, mix: Decimal)
    {
        let q1 = now.values.reduce(Int64(0)) { $0 + $1.tokens }
        let q0 = before.values.reduce(Int64(0)) { $0 + $1.tokens }
        let c1 = now.values.reduce(Decimal(0)) { $0 + $1.exact }
        let c0 = before.values.reduce(Decimal(0)) { $0 + $1.exact }
        var price = Decimal(0)
        for (item, amount) in now {
            guard let old = before[item], old.tokens > 0, amount.tokens > 0 else { continue }
            price += amount.exact - old.exact * Decimal(amount.tokens) / Decimal(old.tokens)
        }
        let volume = q0 > 0 ? Decimal(q1 - q0) * c0 / Decimal(q0) : c1 - c0
        let mix = c1 - c0 - price - volume
        let exact = [volume, price, mix]
        var cents = exact.map { Money.round($0) }
        let rest = centsChange - cents.reduce(0, +)
        if rest != 0 {
            let largest = exact.indices.max { (exact[$0].magnitude, $1) < (exact[$1].magnitude, $0) } ?? 0
            cents[largest] += rest
        }
        return (cents[0], cents[1], cents[2])
    }
}
