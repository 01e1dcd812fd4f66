import Foundation

/// One adjustment of the period with its cents per team: a discount, a markup, a fixed amount or a credit.
public struct AdjustmentLine: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case discount, markup, fixed, credit
    }

    public let kind: Kind
    /// `Discount 10 % on {system: anthropic}`, `Markup 5 %`, or the fixed amount's own name.
    public let name: String
    /// Where it is written (`pricing.yaml:14`).
    public let origin: String
    /// How it was reached, for people: `10 % of 1234.56` or `200 a month × 31/31 days`.
    public let basis: String
    /// Exact amount before rounding (negative for discounts and credits).
    public let exact: Decimal
    /// The amount rounded once to cents; the teams' cents add up to exactly this.
    public let cents: Decimal
    /// In ``AdjustmentLedger/teamOrder``.
    public let teamCents: [Decimal]
}

/// List cost, every adjustment line by line, and the net, per team, in cents.
///
/// Built on the ledger: list cents are the allocation's, each adjustment is computed from the
/// exact cost of the ledger's cells (discounts and markup hour by hour at the terms in force), then
/// rounded once to cents and split over teams with the largest-remainder method, so each team's
/// net is its list cents plus its adjustment cents, and the teams add up to the total net exactly.
public struct AdjustmentLedger: Sendable, Equatable {
    public let teamOrder: [String]
    /// The allocation's cents per team, in ``teamOrder``.
    public let listCents: [Decimal]
    /// Discounts in file order, then markups, fixed amounts and credits; lines of zero are left out.
    public let lines: [AdjustmentLine]

    public init(teamOrder: [String], listCents: [Decimal], lines: [AdjustmentLine]) {
        self.teamOrder = teamOrder
        self.listCents = listCents
        self.lines = lines
    }

    /// Net cents per team in ``teamOrder``: list plus every adjustment.
    public var netCents: [Decimal] {
        teamOrder.indices.map { team in lines.reduce(listCents[team]) { $0 + $1.teamCents[team] } }
    }

    /// Each team's net by name, or `nil` when there are no adjustments (net is then list).
    public var netByTeam: [String: Decimal]? {
        lines.isEmpty
            ? nil : Dictionary(zip(teamOrder, netCents).map { ($0, $1) }, uniquingKeysWith: { first, _ in first })
    }

    public var totalList: Decimal { listCents.reduce(0, +) }
    public var totalNet: Decimal { netCents.reduce(0, +) }

    /// A team's net cents (0 for a team not in the order).
    public func net(of team: String) -> Decimal {
        teamOrder.firstIndex(of: team).map { netCents[$0] } ?? 0
    }

    /// The discounts' cents per team: list minus this is what the price book says the bill is.
    public func cents(of kind: AdjustmentLine.Kind, team: Int) -> Decimal {
        lines.filter { $0.kind == kind }.reduce(0) { $0 + $1.teamCents[team] }
    }

    /// One team's column alone, for its own pack.
    public func scoped(toTeam team: String) -> AdjustmentLedger {
        guard let index = teamOrder.firstIndex(of: team) else {
            return AdjustmentLedger(teamOrder: [team], listCents: [0], lines: [])
        }
        let kept = lines.compactMap { line -> AdjustmentLine? in
            guard line.teamCents[index] != 0 else { return nil }
            return AdjustmentLine(
                kind: line.kind, name: line.name, origin: line.origin, basis: line.basis,
                exact: line.teamCents[index], cents: line.teamCents[index],
                teamCents: [line.teamCents[index]])
        }
        return AdjustmentLedger(teamOrder: [team], listCents: [listCents[index]], lines: kept)
    }

    /// No adjustments: list equals net.
    public static func none(_ allocation: Allocation) -> AdjustmentLedger {
        AdjustmentLedger(
            teamOrder: allocation.teamOrder,
            listCents: allocation.teamOrder.map { allocation.cost(of: $0) }, lines: [])
    }
}

/// Computes the ``AdjustmentLedger`` from priced lines, the allocation and `pricing.yaml`'s terms.
public enum Adjusting {
    /// - Parameters:
    ///   - lines: the report's cost lines (hourly cost per key).
    ///   - bookTeams: the teams of `teams.yaml`, for `even` and the proportional weights.
    ///   - conversion: fixed amounts and credits are in the book's currency: converted at its rate,
    ///     and every line rounded to the report currency's minor unit.
    public static func ledger(
        lines: [CostLine], allocation: Allocation, terms: AdjustmentTerms, buckets: Buckets,
        dimensions: UsageDimensions, bookTeams: [String], conversion: Conversion = .usd
    ) -> AdjustmentLedger {
        let scale = conversion.minorUnits
        func split(_ exact: [Decimal]) -> [Decimal] { Self.split(exact, scale: scale) }
        let order = allocation.teamOrder
        let list = order.map { allocation.cost(of: $0) }
        let zone = buckets.period.timeZone
        var discountExact = [[Decimal]](
            repeating: [Decimal](repeating: 0, count: order.count),
            count: terms.discounts.count)
        var markupExact = [[Decimal]](
            repeating: [Decimal](repeating: 0, count: order.count),
            count: terms.markups.count)
        var discountBase = [Decimal](repeating: 0, count: terms.discounts.count)
        var markupBase = [Decimal](repeating: 0, count: terms.markups.count)
        if !terms.discounts.isEmpty || !terms.markups.isEmpty {
            let ledger = allocation.ledger
            var cellsOfLine = [[LedgerCell]](repeating: [], count: ledger.lines.count)
            for cell in ledger.cells { cellsOfLine[cell.line].append(cell) }
            for (index, ledgerLine) in ledger.lines.enumerated() where ledgerLine.exactCost != 0 {
                let line = lines[ledgerLine.line]
                let candidates = terms.discounts.indices.filter { number in
                    terms.discounts[number].match.allSatisfy {
                        $0.value.matches(dimensions.value(of: $0.key, in: line.key))
                    }
                }
                var discounted = [Decimal](repeating: 0, count: terms.discounts.count)
                var marked = [Decimal](repeating: 0, count: terms.markups.count)
                for hour in ledgerLine.hours where line.hourlyCost[hour] != 0 {
                    let start = buckets.hourStart(hour)
                    var cost = line.hourlyCost[hour]
                    if let number = candidates.first(where: { terms.discounts[$0].span.contains(start, in: zone) }) {
                        discounted[number] += cost
                        cost -= cost * terms.discounts[number].percent / 100
                    }
                    for (number, markup) in terms.markups.enumerated() where markup.span.contains(start, in: zone) {
                        marked[number] += cost
                    }
                }
                for cell in cellsOfLine[index] {
                    let fraction = cell.exactCost / ledgerLine.exactCost
                    for number in discounted.indices where discounted[number] != 0 {
                        discountExact[number][cell.team] -=
                            discounted[number] * fraction
                            * terms.discounts[number].percent / 100
                        discountBase[number] += discounted[number] * fraction
                    }
                    for number in marked.indices where marked[number] != 0 {
                        markupExact[number][cell.team] +=
                            marked[number] * fraction * terms.markups[number].percent / 100
                        markupBase[number] += marked[number] * fraction
                    }
                }
            }
        }
        var result: [AdjustmentLine] = []
        /// A percent adjustment's line, per team its exact amounts; none when it came to nothing.
        func percentLine(
            _ kind: AdjustmentLine.Kind, _ name: String, _ origin: String, percent: Decimal, teamExact: [Decimal],
            base: Decimal, of what: String
        ) {
            let exact = teamExact.reduce(0, +)
            guard exact != 0 else { return }
            result.append(
                AdjustmentLine(
                    kind: kind, name: name, origin: origin,
                    basis: "\(DecimalText.plain(percent, minScale: 0)) % of "
                        + "\(DecimalText.cents(Money.round(base))) \(what)",
                    exact: exact, cents: Money.round(exact, scale: scale), teamCents: split(teamExact)))
        }
        for (number, discount) in terms.discounts.enumerated() {
            percentLine(
                .discount, discount.name, discount.origin, percent: discount.percent,
                teamExact: discountExact[number], base: discountBase[number], of: "list")
        }
        for (number, markup) in terms.markups.enumerated() {
            percentLine(
                .markup, markup.name, markup.origin, percent: markup.percent,
                teamExact: markupExact[number], base: markupBase[number], of: "after discounts")
        }
        for charge in terms.fixed + terms.credits {
            guard let covered = charge.span.clip(buckets.period) else { continue }
            let cents = Money.round(
                conversion.convert(BudgetScale.budget(monthly: charge.monthlyAmount, for: covered, rounded: false)),
                scale: scale)
            guard cents != 0 else { continue }
            let weights = spreadWeights(charge.spread, order: order, list: list, bookTeams: bookTeams)
            let sum = weights.reduce(0, +)
            let exact = weights.map { cents * $0 / sum }
            result.append(
                AdjustmentLine(
                    kind: charge.monthlyAmount < 0 ? .credit : .fixed, name: charge.name, origin: charge.origin,
                    basis:
                        "\(DecimalText.plain(charge.monthlyAmount.magnitude, minScale: 2)) a month, prorated by time "
                        + "over \(DateText.rfc3339(covered.start, in: zone)) to "
                        + DateText.rfc3339(covered.end, in: zone)
                        + (conversion.converts
                            ? ", \(conversion.from) at \(DecimalText.plain(conversion.rate, minScale: 0)) \(conversion.to)"
                            : ""),
                    exact: cents, cents: cents, teamCents: split(exact)))
        }
        return AdjustmentLedger(teamOrder: order, listCents: list, lines: result)
    }

    /// Weights per team in `order` for a spread: never zero for all (falls back to even).
    static func spreadWeights(
        _ spread: AdjustmentSpread, order: [String], list: [Decimal],
        bookTeams: [String]
    ) -> [Decimal] {
        let booked = Set(bookTeams)
        var weights: [Decimal]
        switch spread {
        case .proportional: weights = order.indices.map { booked.contains(order[$0]) ? max(list[$0], 0) : 0 }
        case .even: weights = order.map { booked.contains($0) ? 1 : 0 }
        case .weights(let table): weights = order.map { table[$0] ?? 0 }
        case .team(let team): weights = order.map { $0 == team ? 1 : 0 }
        }
        if weights.allSatisfy({ $0 == 0 }) { weights = order.map { booked.contains($0) ? 1 : 0 } }
        if weights.allSatisfy({ $0 == 0 }) { weights = order.map { _ in 1 } }
        return weights
    }

    /// Exact amounts rounded to cents that add up to the rounded total exactly: by largest remainder
    /// when all have one sign; otherwise (a markup on invoiced credits) each rounded, the largest
    /// part taking the difference.
    package static func split(_ exact: [Decimal], scale: Int = 2) -> [Decimal] {
        let total = Money.round(exact.reduce(0, +), scale: scale)
        if exact.allSatisfy({ $0 <= 0 }) {
            return Money.largestRemainder(exact.map { -$0 }, total: -total, scale: scale).map { -$0 }
        }
        if exact.allSatisfy({ $0 >= 0 }) { return Money.largestRemainder(exact, total: total, scale: scale) }
        var parts = exact.map { Money.round($0, scale: scale) }
        let largest = parts.indices.max { parts[$0].magnitude < parts[$1].magnitude } ?? 0
        parts[largest] += total - parts.reduce(0, +)
        return parts
    }
}
