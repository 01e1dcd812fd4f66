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

    /// `total`, or a team name.
    public let scope: String
    public let window: Window
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

/// The Assess stage: the live alerts (daily, weekly, monthly, hourly pace) as annotations on a
/// batch report, for the total and for each team.
///
/// Days, weeks and months are sums of the ledger's cents (the figures every file shows). Rolling
/// windows and hours are measured cost rounded to cents per window, unless the ledger is hourly,
/// when they too are sums of its cents.
public enum ThresholdAssessment {
    /// Every check of the thresholds file, in a stable order: total first, then teams in report
    /// order; within each, days, weeks, months, then the peaks and the hot hours.
    public static func checks(_ report: Report) -> [ThresholdCheck] {
        let ledger = report.allocation.ledger
        let dayCount = report.buckets.days.count
        var totalDays = [Decimal](repeating: 0, count: dayCount)
        var teamDays = [[Decimal]](repeating: totalDays, count: report.allocation.teamOrder.count)
        var lineDay = [Int](repeating: 0, count: ledger.lines.count)
        for (index, line) in ledger.lines.enumerated() where dayCount > 0 {
            lineDay[index] = report.buckets.dayIndex(ofHour: line.hours.lowerBound)
            totalDays[lineDay[index]] += line.cost
        }
        for cell in ledger.cells where dayCount > 0 { teamDays[cell.team][lineDay[cell.line]] += cell.cost }
        var hourly = [Decimal](repeating: 0, count: report.buckets.hourCount)
        if ledger.hourly {
            for line in ledger.lines { hourly[line.hours.lowerBound] += line.cost }
        } else {
            for line in report.lines {
                for hour in hourly.indices where line.hourlyCost[hour] != 0 { hourly[hour] += line.hourlyCost[hour] }
            }
        }
        var checks = calendar(scope: "total", days: totalDays, report: report, thresholds: report.config.thresholds)
        checks += peaks(hourly: hourly, rounded: !ledger.hourly, report: report)
        let teams = Dictionary(uniqueKeysWithValues: report.config.teams.teams.map { ($0.name, $0) })
        for (index, team) in report.allocation.teamOrder.enumerated() {
            // Teams are held to their budget per month; the global thresholds are for the total.
            checks += calendar(scope: team, days: teamDays[index], report: report,
                               thresholds: Thresholds(monthlyUSD: teams[team]?.monthlyBudgetUSD))
        }
        return checks
    }

    /// Days, then the ISO weeks and calendar months that meet the period, each the sum of its days' cents.
    private static func calendar(scope: String, days: [Decimal], report: Report, thresholds: Thresholds) -> [ThresholdCheck] {
        let period = report.period
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = period.timeZone
        let bucketDays = report.buckets.days
        var checks = zip(bucketDays, days).map { day, cents in
            ThresholdCheck(scope: scope, window: .day, start: day.start, end: day.end, cost: cents,
                           threshold: thresholds.dailyUSD, partial: false)
        }
        for (component, window, limit) in [(Calendar.Component.weekOfYear, ThresholdCheck.Window.week, thresholds.weeklyUSD),
                                           (.month, .month, thresholds.monthlyUSD)] {
            var cursor = calendar.dateInterval(of: component, for: period.start)
            while let interval = cursor, interval.start < period.end {
                let inside = interval.start >= period.start && interval.end <= period.end
                let cents = zip(bucketDays, days).filter { $0.0.start >= interval.start && $0.0.start < interval.end }
                    .reduce(Decimal(0)) { $0 + $1.1 }
                checks.append(ThresholdCheck(scope: scope, window: window, start: interval.start, end: interval.end,
                                             cost: cents, threshold: limit, partial: !inside))
                cursor = calendar.dateInterval(of: component, for: interval.end)
            }
        }
        return checks
    }

    /// The peak rolling 24 h and 7 d windows (named by the hour they end) and the hours whose pace
    /// (cents × 24) reaches the daily threshold: the live `AgentGatewayHighCostRate` alert.
    private static func peaks(hourly: [Decimal], rounded: Bool, report: Report) -> [ThresholdCheck] {
        let buckets = report.buckets
        let thresholds = report.config.thresholds
        func cents(_ amount: Decimal) -> Decimal { rounded ? Money.round(amount) : amount }
        var checks: [ThresholdCheck] = []
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
            checks.append(ThresholdCheck(scope: "total", window: window, start: start, end: end, cost: cents(best),
                                         threshold: limit, partial: bestEnd < length - 1))
        }
        if let pace = thresholds.hourlyProjectionUSDPerDay ?? thresholds.dailyUSD {
            for hour in hourly.indices where cents(hourly[hour]) * 24 >= pace && hourly[hour] > 0 {
                checks.append(ThresholdCheck(scope: "total", window: .hourProjection, start: buckets.hourStart(hour),
                                             end: Date(timeIntervalSince1970: Double(buckets.hourEndMillis(hour)) / 1000),
                                             cost: cents(hourly[hour]) * 24, threshold: pace, partial: false))
            }
        }
        return checks
    }
}
