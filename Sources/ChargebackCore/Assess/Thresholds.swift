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

    /// `total`, or a team name.
    public let scope: String
    public let window: Window
    public let start: Date
    public let end: Date
    /// Cost inside the period part of the window (for `hour_projection`: the hour's cost × 24).
    public let cost: Decimal
    public let threshold: Decimal?
    /// The window reaches outside the period (a week cut by the month edge).
    public let partial: Bool

    /// `exceeded` above the threshold, `warning` from 80 % of it, else `ok` (also when there is none);
    /// any cost exceeds a zero threshold.
    public var status: Status {
        guard let threshold else { return .ok }
        if threshold == 0 { return cost > 0 ? .exceeded : .ok }
        if cost > threshold { return .exceeded }
        return cost >= threshold * Decimal(string: "0.8")! ? .warning : .ok
    }
}

/// The Assess stage: the seeds' alerts (daily, weekly, monthly, hourly pace) as annotations on a
/// batch report, for the total and for each team.
public enum ThresholdAssessment {
    /// Every check of SPEC §4's thresholds file, in a stable order: total first, then teams in
    /// report order; within each, days, weeks, months, then the peaks and the hot hours.
    public static func checks(_ report: Report) -> [ThresholdCheck] {
        let buckets = report.buckets
        let hours = buckets.hourCount
        var total = [Decimal](repeating: 0, count: hours)
        for line in report.lines {
            for hour in 0..<hours where line.hourlyCost[hour] != 0 { total[hour] += line.hourlyCost[hour] }
        }
        let shares = TeamShares(allocation: report.allocation, lines: report.lines)
        var checks = windows(scope: "total", hourly: total, report: report, thresholds: report.config.thresholds)
        let teams = Dictionary(uniqueKeysWithValues: report.config.teams.teams.map { ($0.name, $0) })
        for team in report.allocation.teamOrder {
            let hourly = shares.hourlyCost(of: team, lines: report.lines, hours: hours)
            // Teams are held to their budget per month; the global thresholds are for the total.
            let budget = teams[team]?.monthlyBudgetUSD
            checks += windows(scope: team, hourly: hourly, report: report,
                              thresholds: Thresholds(monthlyUSD: budget), calendarOnly: true)
        }
        return checks
    }

    private static func windows(scope: String, hourly: [Decimal], report: Report, thresholds: Thresholds,
                                calendarOnly: Bool = false) -> [ThresholdCheck] {
        let buckets = report.buckets
        let period = report.period
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
            checks.append(ThresholdCheck(scope: scope, window: .day, start: day.start, end: day.end, cost: sum(day.hours),
                                         threshold: thresholds.dailyUSD, partial: false))
        }
        // ISO weeks and calendar months that meet the period.
        for (component, window, limit) in [(Calendar.Component.weekOfYear, ThresholdCheck.Window.week, thresholds.weeklyUSD),
                                           (.month, .month, thresholds.monthlyUSD)] {
            var cursor = calendar.dateInterval(of: component, for: period.start)
            while let interval = cursor, interval.start < period.end {
                let inside = interval.start >= period.start && interval.end <= period.end
                checks.append(ThresholdCheck(scope: scope, window: window, start: interval.start, end: interval.end,
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
            checks.append(ThresholdCheck(scope: scope, window: window, start: start, end: end, cost: best, threshold: limit,
                                         partial: bestEnd < length - 1))
        }
        // Hours whose pace (cost × 24) passes the daily threshold: the seeds' AgentGatewayHighCostRate.
        if let pace = thresholds.hourlyProjectionUSDPerDay ?? thresholds.dailyUSD {
            for hour in hourly.indices where hourly[hour] * 24 > pace {
                checks.append(ThresholdCheck(scope: scope, window: .hourProjection, start: buckets.hourStart(hour),
                                             end: Date(timeIntervalSince1970: Double(buckets.hourEndMillis(hour)) / 1000),
                                             cost: hourly[hour] * 24, threshold: pace, partial: false))
            }
        }
        return checks
    }
}
