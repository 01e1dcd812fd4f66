import Foundation

extension Report {
    /// Every threshold or budget the period breached, as sentences for people.
    ///
    /// Days against `daily_usd`, the whole period against `monthly_usd` when it is one calendar
    /// month, and teams over their budget.
    public var breaches: [String] {
        let zone = period.timeZone
        let thresholds = config.thresholds
        var found: [String] = []
        if let limit = thresholds.dailyUSD {
            for day in byDay where day.cost > limit {
                found.append("\(DateText.day(day.day.start, in: zone)): \(Formatting.usd(day.cost)) is over the daily "
                             + Formatting.usd(limit))
            }
        }
        if let limit = thresholds.monthlyUSD, buckets.days.count >= 28, buckets.days.count <= 31, totalCost > limit {
            found.append("\(period.label): \(Formatting.usd(totalCost)) is over the monthly \(Formatting.usd(limit))")
        }
        for status in budgets where status.status == .exceeded {
            found.append("\(status.group.name): \(Formatting.usd(status.group.cost)) is over its budget of "
                         + Formatting.usd(status.budget ?? 0))
        }
        return found
    }
}
