import Foundation

/// One row of `forecast.csv`: the total or a team, its cents so far, where the period will end
/// and the range around it, its budget and the day the projection reaches it.
public struct ForecastRow: Sendable, Equatable {
    public enum Scope: String, Sendable {
        case total, team
    }

    public let scope: Scope
    public let name: String
    /// The ledger's cents up to the run time.
    public let soFar: Decimal
    /// The cents of the whole period: so far plus the projected rest.
    public let forecast: Decimal
    public let low: Decimal
    public let high: Decimal
    /// The period's budget (the team's prorated budget; for the total the teams' budgets summed),
    /// `nil` when there is none.
    public let budget: Decimal?
    /// The start of the day on which the cents so far plus the projection reach the budget (a day
    /// before the run time when it is reached already), `nil` when it is not reached.
    public let budgetCrossedOn: Date?

    public init(
        scope: Scope, name: String, soFar: Decimal, forecast: Decimal, low: Decimal, high: Decimal,
        budget: Decimal?, budgetCrossedOn: Date?
    ) {
        self.scope = scope
        self.name = name
        self.soFar = soFar
        self.forecast = forecast
        self.low = low
        self.high = high
        self.budget = budget
        self.budgetCrossedOn = budgetCrossedOn
    }
}

/// A threshold of the total the projection reaches: the first such day, ISO week or month.
public struct ForecastCrossing: Sendable, Equatable {
    public let window: ThresholdCheck.Window
    /// The window's name (`2026-10-21`, `2026-W44`, `2026-10`).
    public let label: String
    public let threshold: Decimal
    /// The projected cents of that window.
    public let cost: Decimal
    /// The day the window's cents reach the threshold.
    public let on: Date

    public init(window: ThresholdCheck.Window, label: String, threshold: Decimal, cost: Decimal, on: Date) {
        self.window = window
        self.label = label
        self.threshold = threshold
        self.cost = cost
        self.on = on
    }
}

/// Where a running period will end: the Forecast part of the Compare stage.
public struct Forecast: Sendable, Equatable {
    /// The run time the projection starts from.
    public let asOf: Date
    /// The total, then the teams in allocation order.
    public let rows: [ForecastRow]
    public let crossings: [ForecastCrossing]
    /// The range's half-width as a share of the projected rest (0.12 is ±12 %).
    public let spread: Decimal
    /// Hours of the last four weeks the profile was made of (fewer when the data starts later).
    public let profileHours: Int

    public init(asOf: Date, rows: [ForecastRow], crossings: [ForecastCrossing], spread: Decimal, profileHours: Int) {
        self.asOf = asOf
        self.rows = rows
        self.crossings = crossings
        self.spread = spread
        self.profileHours = profileHours
    }

    public var total: ForecastRow? { rows.first { $0.scope == .total } }

    /// One team's projection: its row as the total of its view. The crossings concern the
    /// organisation's thresholds, which a team's view leaves out.
    public func scoped(toTeam team: String) -> Forecast? {
        guard let row = rows.first(where: { $0.scope == .team && $0.name == team }) else { return nil }
        let total = ForecastRow(
            scope: .total, name: "Total", soFar: row.soFar, forecast: row.forecast, low: row.low,
            high: row.high, budget: row.budget, budgetCrossedOn: row.budgetCrossedOn)
        return Forecast(asOf: asOf, rows: [total], crossings: [], spread: spread, profileHours: profileHours)
    }

    /// How the projection is made, for the report's method.
    public static let method =
        "The rest of the period is projected per usage key from the hour-of-week profile of the four weeks "
        + "before the run time (each hour of the week the mean of the same hour in those weeks, tokens rounded "
        + "to whole tokens; hours before the backend's data are left out), priced with the price book's entries "
        + "for the future hours and allocated with the team file like measured usage. The range is the projected "
        + "rest ± 2 × the day-to-day spread of the profile (the root mean square of each day's actual over its "
        + "profile from the other weeks, less one) × √(1 ÷ days left + 1 ÷ weeks of profile); ±25 % when fewer "
        + "than two weeks give a spread."
}
