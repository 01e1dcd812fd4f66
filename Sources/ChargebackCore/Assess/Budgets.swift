import Foundation

/// A team's allocated cost against its budget for the period.
public struct BudgetStatus: Sendable, Equatable {
    public enum Status: String, Sendable {
        case ok, warning, exceeded
    }

    public let group: Group
    /// `nil` for `Unallocated`.
    public let team: Team?
    /// The monthly budget scaled to the period, `nil` when the team has none.
    public let budget: Decimal?
    public var usedPercent: Decimal? {
        guard let budget, budget > 0 else { return nil }
        return group.cost / budget * 100
    }
    /// `warning` from 80 % of the budget, `exceeded` above 100 %.
    public var status: Status {
        guard let used = usedPercent else { return .ok }
        if used > 100 { return .exceeded }
        return used >= 80 ? .warning : .ok
    }
}

/// Scales a monthly budget to a period: whole calendar months count as that many budgets,
/// anything else in proportion to its days within the month it starts in.
public enum BudgetScale {
    public static func budget(monthly: Decimal, for period: Period) -> Decimal {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = period.timeZone
        let startParts = calendar.dateComponents([.day, .hour, .minute, .second], from: period.start)
        let endParts = calendar.dateComponents([.day, .hour, .minute, .second], from: period.end)
        let isMonthStart = { (c: DateComponents) in c.day == 1 && c.hour == 0 && c.minute == 0 && c.second == 0 }
        if isMonthStart(startParts) && isMonthStart(endParts),
           let months = calendar.dateComponents([.month], from: period.start, to: period.end).month, months > 0 {
            return monthly * Decimal(months)
        }
        guard let month = calendar.range(of: .day, in: .month, for: period.start) else { return monthly }
        let days = Decimal(period.seconds / 86400)
        return Money.round(monthly * days / Decimal(month.count), scale: 2)
    }
}

extension BudgetStatus {
    /// Budget use per team in allocation order.
    /// - Parameter teams: the team file's teams (their budgets); a team not among them has none.
    public static func all(allocation: Allocation, teams: [Team], period: Period) -> [BudgetStatus] {
        let byName = Dictionary(teams.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return allocation.byTeam.map { group in
            let team = byName[group.name]
            return BudgetStatus(group: group, team: team,
                                budget: team?.monthlyBudgetUSD.map { BudgetScale.budget(monthly: $0, for: period) })
        }
    }
}
