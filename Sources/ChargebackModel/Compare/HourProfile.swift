import Foundation

/// The hour-of-week profile of a stretch of measured usage: per usage key and hour of the week
/// (Monday 00:00 in the report's zone is hour 0), the mean tokens of that hour over the stretch.
package struct HourProfile {
    /// Per key, per hour of the week: tokens summed, and how many hours were summed.
    private(set) var tokens: [UsageKey: [Int64]] = [:]
    private(set) var counts = [Int](repeating: 0, count: 168)
    /// Cost of every valid hour in order, with its hour of the week, for the spread.
    private var hourCosts: [(slot: Int, day: Int, cost: Decimal)] = []
    private(set) var validHours = 0
    let calendar: Calendar

    /// The profile of `lines` over `buckets`, leaving out hours that start before `validFrom`.
    package init(lines: [CostLine], buckets: Buckets, validFrom: Date?) {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = buckets.period.timeZone
        self.calendar = calendar
        var valid = [Bool](repeating: true, count: buckets.hourCount)
        var slots = [Int](repeating: 0, count: buckets.hourCount)
        var cost = [Decimal](repeating: 0, count: buckets.hourCount)
        for hour in 0..<buckets.hourCount {
            let start = buckets.hourStart(hour)
            if let validFrom, start < validFrom { valid[hour] = false }
            slots[hour] = Self.slot(start, calendar)
            if valid[hour] { counts[slots[hour]] += 1 }
        }
        for line in lines {
            var sums = [Int64](repeating: 0, count: 168)
            for hour in 0..<buckets.hourCount where valid[hour] {
                sums[slots[hour]] += line.hourlyTokens[hour]
                cost[hour] += line.hourlyCost[hour]
            }
            tokens[line.key] = sums
        }
        for hour in 0..<buckets.hourCount where valid[hour] {
            hourCosts.append((slots[hour], buckets.dayIndex(ofHour: hour), cost[hour]))
        }
        validHours = valid.filter { $0 }.count
    }

    /// The hour of the week of `date`: 0 for Monday 00:00 local, 167 for Sunday 23:00.
    static func slot(_ date: Date, _ calendar: Calendar) -> Int {
        let parts = calendar.dateComponents([.weekday, .hour], from: date)
        return ((parts.weekday! + 5) % 7) * 24 + parts.hour!
    }

    /// The mean tokens of `key` in the hour of the week of `date`, rounded half up to whole tokens.
    package func tokens(_ key: UsageKey, at date: Date) -> Int64 {
        let slot = Self.slot(date, calendar)
        guard let sums = tokens[key], counts[slot] > 0 else { return 0 }
        let count = Int64(counts[slot])
        return (2 * sums[slot] + count) / (2 * count)
    }

    /// The day-to-day spread: the root mean square of (a day's cost ÷ its cost predicted from the
    /// same hours of the other weeks − 1), over the days with such a prediction; `nil` for none.
    var spread: Double? {
        var slotSums = [Decimal](repeating: 0, count: 168)
        for hour in hourCosts { slotSums[hour.slot] += hour.cost }
        var actual: [Int: Decimal] = [:]
        var predicted: [Int: Decimal] = [:]
        for hour in hourCosts where counts[hour.slot] > 1 {
            actual[hour.day, default: 0] += hour.cost
            predicted[hour.day, default: 0] += (slotSums[hour.slot] - hour.cost) / Decimal(counts[hour.slot] - 1)
        }
        let ratios = predicted.compactMap { day, prediction -> Double? in
            prediction > 0 ? Money.double((actual[day] ?? 0) / prediction) - 1 : nil
        }
        guard ratios.count >= 7 else { return nil }
        return (ratios.reduce(0) { $0 + $1 * $1 } / Double(ratios.count)).squareRoot()
    }
}
