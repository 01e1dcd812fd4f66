import Foundation

/// One window checked against a threshold: a calendar day, ISO week or month, a peak rolling
/// window, or an hour whose pace reaches the daily threshold.
public struct ThresholdCheck: Sendable, Equatable {
    public enum Window: String, Sendable {
        case day, week, month
        case rolling24h = "rolling_24h"
        case rolling7d = "rolling_7d"
        case hourProjection = "hour_projection"
    }

    /// The one status rule of every file.
    public typealias Status = LimitStatus

    public let scope: CheckScope
    public let window: Window
    /// The window's name: `2026-10-14` for a day, `2026-W44` for an ISO week, `2026-10` for a
    /// month; empty for rolling peaks and hours.
    public let label: String
    public let start: Date
    public let end: Date
    /// Cents inside the period part of the window (for `hour_projection`: the hour's cents × 24).
    public let cost: Decimal
    public let threshold: Decimal?
    /// The window reaches outside the period (a week cut by the month edge).
    public let partial: Bool

    /// The one rule (``LimitStatus``) applied to the cents shown.
    public var status: LimitStatus { LimitStatus(cents: cost, limit: threshold) }
}

/// What a scope is checked against: the organisation's total, or one team's share.
public enum CheckScope: Sendable, Hashable {
    case total
    case team(String)

    /// `total` or the team's name, as the thresholds file writes it.
    public var label: String {
        switch self {
        case .total: "total"
        case .team(let name): name
        }
    }
}

/// The threshold part of the Assess stage: the alert thresholds (daily, weekly, monthly, hourly
/// pace) as annotations on a batch report, for the total and for each team.
///
/// Days, weeks and months are sums of the ledger's cents (the figures every file shows). Rolling
/// windows and hours are measured cost rounded to cents per window, unless the ledger is hourly,
/// when they too are sums of its cents.
public enum ThresholdAssessment {
    /// Every check of the thresholds file (docs/output-files.md), in a stable order: total first,
    /// then teams in allocation order; within each, days, weeks, months, then the peaks and the
    /// hot hours.
    /// - Parameters:
    ///   - thresholds: the limits for the total (days, weeks, months, rolling windows, pace).
    ///   - teams: the teams whose monthly budget is their month limit (others have none).
    public static func checks(
        lines: [CostLine], allocation: Allocation, buckets: Buckets, period: Period,
        thresholds: Thresholds, teams: [Team]
    ) -> [ThresholdCheck] {
        let ledger = allocation.ledger
        let dayCount = buckets.days.count
        var totalDays = [Decimal](repeating: 0, count: dayCount)
        var teamDays = [[Decimal]](repeating: totalDays, count: allocation.teamOrder.count)
        var lineDay = [Int](repeating: 0, count: ledger.lines.count)
        for (index, line) in ledger.lines.enumerated() where dayCount > 0 {
            lineDay[index] = buckets.dayIndex(ofHour: line.hours.lowerBound)
            totalDays[lineDay[index]].accumulate(line.cost)
        }
        for cell in ledger.cells where dayCount > 0 && cell.team < teamDays.count {
            teamDays[cell.team][lineDay[cell.line]].accumulate(cell.cost)
        }
        var hourly = [Decimal](repeating: 0, count: buckets.hourCount)
        if ledger.hourly {
            for line in ledger.lines { hourly[line.hours.lowerBound].accumulate(line.cost) }
        } else {
            for line in lines {
                for hour in hourly.indices where line.hourlyCost[hour] != 0 {
                    hourly[hour].accumulate(line.hourlyCost[hour])
                }
            }
        }
        var checks = calendar(scope: .total, days: totalDays, buckets: buckets, period: period, thresholds: thresholds)
        checks += peaks(hourly: hourly, rounded: !ledger.hourly, buckets: buckets, thresholds: thresholds)
        let budgets = Dictionary(teams.map { ($0.name, $0.monthlyBudget) }, uniquingKeysWith: { first, _ in first })
        for (index, team) in allocation.teamOrder.enumerated() {
            // Teams are held to their budget per month; the global thresholds are for the total.
            checks += calendar(
                scope: .team(team), days: teamDays[index], buckets: buckets, period: period,
                thresholds: Thresholds(monthly: budgets[team] ?? nil))
        }
        return checks
    }

    /// Days, then the ISO weeks and calendar months that meet the period, each the sum of its days' cents.
    private static func calendar(
        scope: CheckScope, days: [Decimal], buckets: Buckets, period: Period,
        thresholds: Thresholds
    ) -> [ThresholdCheck] {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = period.timeZone
        var checks = zip(buckets.days, days).map { day, cents in
            ThresholdCheck(
                scope: scope, window: .day, label: DateText.day(day.start, in: period.timeZone), start: day.start,
                end: day.end, cost: cents, threshold: thresholds.daily, partial: false)
        }
        for (component, window, limit) in [
            (Calendar.Component.weekOfYear, ThresholdCheck.Window.week, thresholds.weekly),
            (.month, .month, thresholds.monthly),
        ] {
            var cursor = calendar.dateInterval(of: component, for: period.start)
            while let interval = cursor, interval.start < period.end {
                let inside = interval.start >= period.start && interval.end <= period.end
                let label =
                    window == .week
                    ? isoWeek(interval.start, calendar)
                    : String(DateText.day(interval.start, in: period.timeZone).prefix(7))
                let cents = zip(buckets.days, days).filter { $0.0.start >= interval.start && $0.0.start < interval.end }
                    .reduce(Decimal(0)) { $0 + $1.1 }
                // The part of the week or month inside the period, as every file shows it.
                checks.append(
                    ThresholdCheck(
                        scope: scope, window: window, label: label, start: max(interval.start, period.start),
                        end: min(interval.end, period.end), cost: cents, threshold: limit, partial: !inside))
                cursor = calendar.dateInterval(of: component, for: interval.end)
            }
        }
        return checks
    }

    /// The peak rolling 24 h and 7 d windows (named by the hour they end) and the hours whose pace
    /// (cents × 24) reaches the daily threshold: the live `AgentGatewayHighCostRate` alert.
    private static func peaks(hourly: [Decimal], rounded: Bool, buckets: Buckets, thresholds: Thresholds)
        -> [ThresholdCheck]
    {
        func cents(_ amount: Decimal) -> Decimal { rounded ? Money.round(amount) : amount }
        var checks: [ThresholdCheck] = []
        for (window, length, limit) in [
            (ThresholdCheck.Window.rolling24h, 24, thresholds.daily),
            (.rolling7d, 168, thresholds.weekly),
        ] where hourly.count >= 1 {
            var best = Decimal(0)
            var bestEnd = min(length, hourly.count) - 1
            var running = Decimal(0)
            for hour in hourly.indices {
                running.accumulate(hourly[hour])
                if hour >= length { running -= hourly[hour - length] }
                if running > best {
                    best = running
                    bestEnd = hour
                }
            }
            let end = Date(timeIntervalSince1970: Double(buckets.hourEndMillis(bestEnd)) / 1000)
            let start = buckets.hourStart(max(0, bestEnd - length + 1))
            checks.append(
                ThresholdCheck(
                    scope: .total, window: window, label: "", start: start, end: end,
                    cost: cents(best), threshold: limit, partial: bestEnd < length - 1))
        }
        if let pace = thresholds.hourlyProjectionPerDay ?? thresholds.daily {
            for hour in hourly.indices where hourly[hour] > 0 && cents(hourly[hour]) * 24 >= pace {
                checks.append(
                    ThresholdCheck(
                        scope: .total, window: .hourProjection, label: "", start: buckets.hourStart(hour),
                        end: Date(timeIntervalSince1970: Double(buckets.hourEndMillis(hour)) / 1000),
                        cost: cents(hourly[hour]) * 24, threshold: pace, partial: false))
            }
        }
        return checks
    }

    /// `2026-W44`: the ISO week-numbering year and week of a day.
    private static func isoWeek(_ day: Date, _ calendar: Calendar) -> String {
        let parts = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: day)
        return String(format: "%04d-W%02d", parts.yearForWeekOfYear ?? 0, parts.weekOfYear ?? 0)
    }
}
