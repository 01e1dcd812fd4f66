import Foundation

extension Report {
    /// Every threshold or budget the period breached, as sentences for people.
    ///
    /// Calendar days, ISO weeks and months of the total against `daily_usd`, `weekly_usd` and
    /// `monthly_usd`, and teams over their budget for the period. Rolling peaks and hot hours are
    /// listed in the thresholds file but are not breaches of their own.
    public var breaches: [String] {
        let zone = period.timeZone
        var found: [String] = []
        for check in thresholdChecks where check.scope == "total" && check.status == .exceeded {
            let label: String, adjective: String
            switch check.window {
            case .day: (label, adjective) = (DateText.day(check.start, in: zone), "daily")
            case .week: (label, adjective) = (WeekName.withDates(start: check.start, end: check.end, in: zone), "weekly")
            case .month: (label, adjective) = (String(DateText.day(check.start, in: zone).prefix(7)), "monthly")
            default: continue
            }
            let part = check.partial ? " (counting only the part inside this period)" : ""
            found.append("\(label): \(Formatting.usd(check.cost)) is over the \(adjective) "
                         + Formatting.usd(check.threshold ?? 0) + part)
        }
        for status in budgets where status.status == .exceeded {
            found.append("\(status.group.name): \(Formatting.usd(status.group.cost)) is over its budget of "
                         + Formatting.usd(status.budget ?? 0))
        }
        return found
    }
}
