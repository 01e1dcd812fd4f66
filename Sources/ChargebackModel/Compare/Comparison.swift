import Foundation

/// One row of `changes.csv`: a scope's cost this period and the period before, the change, and
/// the change split into volume, price and mix effects (cents that add up to the change exactly).
public struct ChangeRow: Sendable, Equatable {
    public enum Scope: String, Sendable, CaseIterable {
        case total, team, gateway, model
    }

    public let scope: Scope
    public let name: String
    /// This period's cents (the ledger's).
    public let cost: Decimal
    /// The previous period's cents (its own ledger's).
    public let previousCost: Decimal
    /// More or fewer billable tokens at the previous period's average price.
    public let volume: Decimal
    /// The same items at a different price: Σ (p₁ − p₀) · q₁.
    public let price: Decimal
    /// The rest: tokens moved between models, token types (or teams' items) of different prices.
    public let mix: Decimal
    /// The model whose cost changed most inside the scope, with that change in cents.
    public let leadingModel: (name: String, change: Decimal)?

    public var change: Decimal { cost - previousCost }

    /// The change in percent of the previous cost, to one decimal (half away from zero); `nil`
    /// when the previous cost was zero.
    public var changePercent: Decimal? {
        previousCost == 0 ? nil : Money.round(change * 100 / previousCost, scale: 1)
    }

    public static func == (a: ChangeRow, b: ChangeRow) -> Bool {
        (a.scope, a.name, a.cost, a.previousCost) == (b.scope, b.name, b.cost, b.previousCost)
            && (a.volume, a.price, a.mix) == (b.volume, b.price, b.mix)
            && a.leadingModel?.name == b.leadingModel?.name && a.leadingModel?.change == b.leadingModel?.change
    }
}

/// The comparison with the previous period: the Compare stage's value.
public struct Comparison: Sendable, Equatable {
    /// The period compared with (for a partial period, its first part of the same length).
    public let previous: Period
    /// The total, then teams, gateways and models (each sorted as in the report); empty when
    /// ``unavailable`` says why nothing was compared.
    public let rows: [ChangeRow]
    /// Why there is no comparison (the previous period is before the data), or `nil`.
    public let unavailable: String?
    /// Where the previous period's data starts, when after its start (a partial comparison).
    public let previousDataStart: Date?
    /// Both periods' figures the rows were made of, kept so a team's view can compare its own
    /// share (``scoped(toTeam:)``); `nil` when nothing was compared.
    public let figures: (current: PeriodFigures, previous: PeriodFigures)?

    public init(
        previous: Period, rows: [ChangeRow], unavailable: String? = nil, previousDataStart: Date? = nil,
        figures: (current: PeriodFigures, previous: PeriodFigures)? = nil
    ) {
        self.previous = previous
        self.rows = rows
        self.unavailable = unavailable
        self.previousDataStart = previousDataStart
        self.figures = figures
    }

    public static func == (a: Comparison, b: Comparison) -> Bool {
        (a.previous, a.rows, a.unavailable, a.previousDataStart) == (
            b.previous, b.rows, b.unavailable, b.previousDataStart
        )
            && a.figures?.current == b.figures?.current && a.figures?.previous == b.figures?.previous
    }

    /// The comparison of one team's share only: its total (no team rows: the total is the team's),
    /// and its share of each gateway and model, split into effects the same way (the team's pack).
    public func scoped(toTeam team: String) -> Comparison {
        guard let figures else { return self }
        let scoped = Compare.compare(
            current: figures.current.scoped(toTeam: team), previous: figures.previous.scoped(toTeam: team),
            previousPeriod: previous)
        return Comparison(
            previous: previous, rows: scoped.rows.filter { $0.scope != .team }, unavailable: unavailable,
            previousDataStart: previousDataStart,
            figures: scoped.figures)
    }

    public func rows(_ scope: ChangeRow.Scope) -> [ChangeRow] { rows.filter { $0.scope == scope } }

    public var total: ChangeRow? { rows.first { $0.scope == .total } }

    /// How the comparison is made, for the report's method.
    public static let method =
        "The previous period is measured, priced (at the prices in force then) and allocated the same way. Each change "
        + "is split into volume (the change in billable tokens at the previous average price), price (Σ of each "
        + "item's change in price × its tokens now, over the items used in both periods) and mix (the rest: tokens "
        + "moved between models and token types of other prices), rounded to cents so the three add up to the change."
}
