import Foundation

/// One window checked against a threshold: a calendar day, ISO week or month, a peak rolling
/// window, or an hour whose pace passes the daily threshold.
public struct ThresholdCheck: Sendable, Equatable {
    public enum Window: String, Sendable {
        case day, week, month
        case rolling24h = "rolling_24h"
        case rolling7d = "rolling_7d"
        case hourProjection = "hour_projection"
    }

    public enum Status: String, Sendable {
        case ok, warning, exceeded
    }

    public let scope: CheckScope
    public let window: Window
    /// The window's name: `2026-10-14` for a day, `2026-W44` for an ISO week, `2026-10` for a
    /// month; empty for rolling peaks and hours.
    public let label: String
    public let start: Date
    public let end: Date
    /// Cost inside the period part of the window (for `hour_projection`: the hour's cost × 24).
    public let cost: Decimal
    public let threshold: Decimal?
    /// The window reaches outside the period (a week cut by the month edge).
    public let partial: Bool

    /// `exceeded` above the threshold, `warning` from 80 % of it, else `ok` (also when there is none).
    public var status: Status {
        guard let threshold, threshold > 0 else { return .ok }
        if cost > threshold { return .exceeded }
        return cost >= threshold * Decimal(string: "0.8")! ? .warning : .ok
    }
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
public enum ThresholdAssessment {
    /// Every check of the thresholds file (docs/output-files.md), in a stable order: total first,
    /// then teams in allocation order; within each, days, weeks, months, then the peaks and the
    /// hot hours.
    /// - Parameters:
    ///   - thresholds: the limits for the total (days, weeks, months, rolling windows, pace).
    ///   - teams: the teams whose monthly budget is their month limit (others have none).
    public static func checks(lines: [CostLine], allocation: Allocation, buckets: Buckets, period: Period,
                              thresholds: Thresholds, teams: [Team]) -> [ThresholdCheck] {
        let hours = buckets.hourCount
        var total = [Decimal](repeating: 0, count: hours)
        for line in lines {
            for hour in 0..<hours where line.hourlyCost[hour] != 0 { total[hour] += line.hourlyCost[hour] }
        }
        let shares = TeamShares(allocation: allocation, lines: lines)
        var checks = windows(scope: .total, hourly: total, buckets: buckets, period: period, thresholds: thresholds)
        let budgets = Dictionary(teams.map { ($0.name, $0.monthlyBudgetUSD) }, uniquingKeysWith: { first, _ in first })
        for team in allocation.teamOrder {
            let hourly = shares.hourlyCost(of: team, lines: lines, hours: hours)
            // Teams are held to their budget per month; the global thresholds are for the total.
            checks += windows(scope: .team(team), hourly: hourly, buckets: buckets, period: period,
                              thresholds: Thresholds(monthlyUSD: budgets[team] ?? nil), calendarOnly: true)
        }
        return checks
    }

    private static func windows(scope: CheckScope, hourly: [Decimal], buckets: Buckets, period: Period,
                                thresholds: Thresholds, calendarOnly: Bool = false) -> [ThresholdCheck] {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = period.timeZone
        var checks: [ThresholdCheck] = []
        func sum(_ range: Range<Int>) -> Decimal { range.reduce(Decimal(0)) { $0 + hourly[$1] } }
        func hourRange(from start: Date, to end: Date) -> Range<Int> {
            let first = buckets.hourIndex(millis: Int64(max(start, period.start).timeIntervalSince1970 * 1000)) ?? 0
            let lastMillis = Int64(min(end, period.end).timeIntervalSince1970 * 1000) - 1
            let last = buckets.hourIndex(millis: lastMillis).map { $0 + 1 } ?? first
            return first..<max(first, last)
        }
        // Calendar days.
        for day in buckets.days {
            checks.append(ThresholdCheck(scope: scope, window: .day,
                                         label: DateText.day(day.start, in: period.timeZone), start: day.start, end: day.end, cost: sum(day.hours),
                                         threshold: thresholds.dailyUSD, partial: false))
        }
        // ISO weeks and calendar months that meet the period.
        for (component, window, limit) in [(Calendar.Component.weekOfYear, ThresholdCheck.Window.week, thresholds.weeklyUSD),
                                           (.month, .month, thresholds.monthlyUSD)] {
            var cursor = calendar.dateInterval(of: component, for: period.start)
            while let interval = cursor, interval.start < period.end {
                let inside = interval.start >= period.start && interval.end <= period.end
                let label = window == .week ? isoWeek(interval.start, calendar)
                    : String(DateText.day(interval.start, in: period.timeZone).prefix(7))
                checks.append(ThresholdCheck(scope: scope, window: window, label: label, start: interval.start,
                                             end: interval.end,
                                             cost: sum(hourRange(from: interval.start, to: interval.end)),
                                             threshold: limit, partial: !inside))
                cursor = calendar.dateInterval(of: component, for: interval.end)
            }
        }
        if calendarOnly { return checks }
        // Peak rolling windows, named by the hour they end.
        for (window, length, limit) in [(ThresholdCheck.Window.rolling24h, 24, thresholds.dailyUSD),
                                        (.rolling7d, 168, thresholds.weeklyUSD)] where hourly.count >= 1 {
            var best = Decimal(0), bestEnd = min(length, hourly.count) - 1
            var running = Decimal(0)
            for hour in hourly.indices {
                running += hourly[hour]
                if hour >= length { running -= hourly[hour - length] }
                if running > best {
                    best = running
                    bestEnd = hour
                }
            }
            let end = Date(timeIntervalSince1970: Double(buckets.hourEndMillis(bestEnd)) / 1000)
            let start = buckets.hourStart(max(0, bestEnd - length + 1))
            checks.append(ThresholdCheck(scope: scope, window: window, label: "", start: start, end: end, cost: best,
                                         threshold: limit,
                                         partial: bestEnd < length - 1))
        }
        // Hours whose pace (cost × 24) passes the daily threshold: the AgentGatewayHighCostRate alert.
        if let pace = thresholds.hourlyProjectionUSDPerDay ?? thresholds.dailyUSD {
            for hour in hourly.indices where hourly[hour] * 24 > pace {
                checks.append(ThresholdCheck(scope: scope, window: .hourProjection, label: "",
                                             start: buckets.hourStart(hour),
                                             end: Date(timeIntervalSince1970: Double(buckets.hourEndMillis(hour)) / 1000),
                                             cost: hourly[hour] * 24, threshold: pace, partial: false))
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
