import Foundation

/// A team's allocated cost against its budget for the period.
public struct BudgetStatus: Sendable, Equatable {
    public let group: Group
    /// `nil` for `Unallocated`.
    public let team: Team?
    /// The monthly budget prorated to the period, in cents; `nil` when the team has none.
    public let budget: Decimal?
    /// The team's net after discounts, markup, fixed amounts and credits, in cents; `nil` when the
    /// price book has no adjustments (the net is then the list cost).
    public var net: Decimal? = nil
    /// What the budget is compared with: the net where there are adjustments, else the allocated cost.
    public var charged: Decimal { net ?? group.cost }
    /// ``charged`` as a share of the budget in percent, cut to one decimal (``LimitStatus/usedPercent(cents:limit:)``).
    public var usedPercent: Decimal? { LimitStatus.usedPercent(cents: charged, limit: budget) }
    public var status: LimitStatus { LimitStatus(cents: charged, limit: budget) }
}

/// Prorates a monthly budget to a period, month by month: each calendar month the period meets
/// gives its budget × the period's days in that month ÷ the month's own days (a day cut by the
/// period counts by its share of hours), summed, then rounded to cents. Whole months count as
/// whole budgets; 2026-W40 (3 September days, 4 October days) at 250 a month is
/// 250 × 3/30 + 250 × 4/31 = 57.26.
public enum BudgetScale {
    /// - Parameter rounded: to cents (the default), or exact for a caller that rounds later.
    public static func budget(monthly: Decimal, for period: Period, rounded: Bool = true) -> Decimal {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = period.timeZone
        var total = Decimal(0)
        var cursor = calendar.dateInterval(of: .month, for: period.start)
        while let month = cursor, month.start < period.end {
            let days = calendar.range(of: .day, in: .month, for: month.start)?.count ?? 30
            var covered = Decimal(0)
            var day = calendar.dateInterval(of: .day, for: max(month.start, period.start))
            while let interval = day, interval.start < min(month.end, period.end) {
                let from = max(interval.start, period.start)
                let to = min(interval.end, period.end)
                covered +=
                    to >= interval.end && from <= interval.start
                    ? 1
                    : Decimal(Int(to.timeIntervalSince(from))) / Decimal(Int(interval.duration))
                day = calendar.dateInterval(of: .day, for: interval.end)
            }
            total += monthly * covered / Decimal(days)
            cursor = calendar.dateInterval(of: .month, for: month.end)
        }
        return rounded ? Money.round(total, scale: 2) : total
    }

    /// How the budgets of `period` were prorated, for the report's method.
    public static let explanation =
        "Budgets are monthly: a period of whole months counts one budget per month; any other period counts each "
        + "month's budget × the period's days in that month ÷ the month's own days, rounded to cents "
        + "(a week of 3 September and 4 October days at 250 a month: 250 × 3/30 + 250 × 4/31 = 57.26)."
}

extension BudgetStatus {
    /// Budget use per team in allocation order.
    /// - Parameter teams: the team file's teams (their budgets); a team not among them has none.
    /// - Parameter net: each team's net after adjustments, when the price book has adjustments.
    public static func all(
        allocation: Allocation, teams: [Team], period: Period, net: [String: Decimal]? = nil
    ) -> [BudgetStatus] {
        let byName = Dictionary(teams.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return allocation.byTeam.map { group in
            let team = byName[group.name]
            return BudgetStatus(
                group: group, team: team,
                budget: team?.monthlyBudget.map { BudgetScale.budget(monthly: $0, for: period) },
                net: net.map { $0[group.name] ?? group.cost })
        }
    }
}
