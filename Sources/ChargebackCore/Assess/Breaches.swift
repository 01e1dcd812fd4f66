import Foundation

extension Report {
    /// Every threshold or budget the period breached, as sentences for people.
    ///
    /// Calendar days, ISO weeks and months of the total against `daily_usd`, `weekly_usd` and
    /// `monthly_usd`, and teams over their budget for the period. Rolling peaks and hot hours are
    /// listed in the thresholds file but are not breaches of their own. A
    /// limit met exactly is "reached", one passed "over".
    public var breaches: [String] {
        let zone = period.timeZone
        var found: [String] = []
        for check in thresholdChecks where check.scope == "total" && check.status == .exceeded {
            let label: String, adjective: String
            switch check.window {
            case .day: (label, adjective) = (DateText.day(check.start, in: zone), "daily")
            case .week: (label, adjective) = ("week of \(DateText.day(check.start, in: zone))", "weekly")
            case .month: (label, adjective) = (String(DateText.day(check.start, in: zone).prefix(7)), "monthly")
            default: continue
            }
            let part = check.partial ? " (counting only the part inside this period)" : ""
            let limit = check.threshold ?? 0
            found.append("\(label): \(Formatting.usd(check.cost)) \(LimitStatus.verb(cents: check.cost, limit: limit)) "
                         + "the \(adjective) \(Formatting.usd(limit))" + part)
        }
        for status in budgets where status.status == .exceeded {
            let budget = status.budget ?? 0
            found.append("\(status.group.name): \(Formatting.usd(status.group.cost)) "
                         + "\(LimitStatus.verb(cents: status.group.cost, limit: budget)) its budget of \(Formatting.usd(budget))")
        }
        return found
    }
}
