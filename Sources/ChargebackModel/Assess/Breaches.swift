import Foundation

/// A threshold or budget the period breached.
///
/// Calendar days, ISO weeks and months of the total over `daily_usd`, `weekly_usd` and
/// `monthly_usd`, and teams over their budget for the period. Rolling peaks and hot hours are
/// listed in the thresholds file but are not breaches of their own. A limit met exactly is
/// "reached", one passed "over" (``LimitStatus``).
public enum Breach: Sendable, Equatable {
    /// A day, week or month of the total over its threshold.
    case threshold(ThresholdCheck)
    /// A team over its budget for the period.
    case budget(BudgetStatus)

    /// The breaches among `checks` and `budgets`: the total's exceeded calendar windows in check
    /// order, then the teams over budget.
    public static func all(checks: [ThresholdCheck], budgets: [BudgetStatus]) -> [Breach] {
        let calendarWindows: Set<ThresholdCheck.Window> = [.day, .week, .month]
        return checks.filter { $0.scope == .total && $0.status == .exceeded && calendarWindows.contains($0.window) }
            .map(Breach.threshold)
            + budgets.filter { $0.status == .exceeded }.map(Breach.budget)
    }

    /// The breach as a sentence for people, dates in `zone`.
    public func sentence(in zone: TimeZone, currency: Currency) -> String {
        switch self {
        case .threshold(let check):
            let label: String
            let adjective: String
            switch check.window {
            case .week:
                (label, adjective) = (WeekName.withDates(start: check.start, end: check.end, in: zone), "weekly")
            case .month: (label, adjective) = (check.label, "monthly")
            default: (label, adjective) = (check.label, "daily")
            }
            // A week names the days it counts; a month cut by the period says so.
            let part = check.partial && check.window == .month ? " (counting only the part inside this period)" : ""
            let limit = check.threshold ?? 0
            return "\(label): \(currency.format(check.cost)) \(LimitStatus.verb(cents: check.cost, limit: limit)) "
                + "the \(adjective) \(currency.format(limit))" + part
        case .budget(let status):
            let budget = status.budget ?? 0
            return "\(status.group.name): \(currency.format(status.charged))\(status.net == nil ? "" : " net") "
                + "\(LimitStatus.verb(cents: status.charged, limit: budget)) its budget of \(currency.format(budget))"
        }
    }
}
