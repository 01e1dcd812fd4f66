import Foundation

/// The hour buckets of a period and the calendar days they form, in the report's time zone.
///
/// Hours are absolute 3600 s steps from the period start (a local midnight), so a day across a
/// DST change holds 23 or 25 of them. Every later stage counts in these hours and sums to days.
public struct Buckets: Sendable, Equatable {
    public let period: Period
    /// Start instants of each hour bucket, in seconds since 1970; bucket `i` is `[hourStarts[i], hourStarts[i+1])`.
    public let hourStarts: [Int64]
    /// For each day, its start instant and the range of hour indices it holds.
    public let days: [Day]

    public struct Day: Sendable, Equatable {
        public let start: Date
        public let end: Date
        public let hours: Range<Int>
    }

    public init(period: Period) {
        self.period = period
        let startSecond = Int64(period.start.timeIntervalSince1970.rounded(.down))
        let endSecond = Int64(period.end.timeIntervalSince1970.rounded(.up))
        hourStarts = Array(stride(from: startSecond, to: endSecond, by: Int(Hour.seconds)))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = period.timeZone
        var days: [Day] = []
        var dayStart = period.start
        var firstHour = 0
        while dayStart < period.end {
            let next = min(calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: dayStart))!, period.end)
            let nextSecond = Int64(next.timeIntervalSince1970)
            var lastHour = firstHour
            while lastHour < hourStarts.count && hourStarts[lastHour] < nextSecond { lastHour += 1 }
            days.append(Day(start: dayStart, end: next, hours: firstHour..<lastHour))
            firstHour = lastHour
            dayStart = next
        }
        self.days = days
    }

    /// Start of the period in milliseconds since 1970.
    public var startMillis: Int64 { Int64((period.start.timeIntervalSince1970 * 1000).rounded()) }
    /// End of the period (exclusive) in milliseconds since 1970.
    public var endMillis: Int64 { Int64((period.end.timeIntervalSince1970 * 1000).rounded()) }

    public var hourCount: Int { hourStarts.count }

    /// The end of hour bucket `index` in milliseconds (the next start, or the period end).
    public func hourEndMillis(_ index: Int) -> Int64 {
        index + 1 < hourStarts.count ? hourStarts[index + 1] * 1000 : endMillis
    }

    /// The hour bucket holding the instant `millis`, or `nil` outside the period.
    public func hourIndex(millis: Int64) -> Int? {
        guard millis >= startMillis && millis < endMillis else { return nil }
        return min(Int((millis - startMillis) / Hour.millis), hourStarts.count - 1)
    }

    /// The start of hour bucket `index` as a date.
    public func hourStart(_ index: Int) -> Date {
        Date(timeIntervalSince1970: TimeInterval(hourStarts[index]))
    }

    /// The day index holding hour bucket `index`.
    public func dayIndex(ofHour index: Int) -> Int {
        var low = 0
        var high = days.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if days[mid].hours.lowerBound <= index { low = mid } else { high = mid - 1 }
        }
        return low
    }
}
