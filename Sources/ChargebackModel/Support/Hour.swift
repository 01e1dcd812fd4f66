import Foundation

/// A whole UTC hour, named by its start: the unit the usage store keeps usage in, and the step of
/// the server-side summaries. Hours form ranges (`hour..<hour + 3`) and count in whole hours, so
/// no caller multiplies or divides by 3600 or 3,600,000.
public struct Hour: Hashable, Comparable, Strideable, Sendable, CustomStringConvertible {
    /// Seconds and milliseconds in an hour.
    public static let seconds: Int64 = 3600
    public static let millis: Int64 = 3_600_000

    /// Seconds since 1970 of its start, a multiple of 3600.
    public let start: Int64

    /// The hour starting `seconds` after 1970 (rounded down to a whole hour).
    public init(startSeconds seconds: Int64) {
        start = seconds - ((seconds % Self.seconds) + Self.seconds) % Self.seconds
    }

    /// The hour holding `date`.
    public init(containing date: Date) {
        self.init(startSeconds: Int64(date.timeIntervalSince1970.rounded(.down)))
    }

    /// The hour holding the instant `millis` (ms since 1970).
    public init(containingMillis millis: Int64) {
        self.init(startSeconds: (millis - ((millis % Self.millis) + Self.millis) % Self.millis) / 1000)
    }

    /// The first hour starting at or after `date`.
    public static func starting(atOrAfter date: Date) -> Hour {
        let hour = Hour(containing: date)
        return hour.startDate == date ? hour : hour.next
    }

    public var startMillis: Int64 { start * 1000 }
    /// Seconds since 1970 of its end (the next hour's start).
    public var end: Int64 { start + Self.seconds }
    public var endMillis: Int64 { end * 1000 }
    public var startDate: Date { Date(timeIntervalSince1970: TimeInterval(start)) }
    public var endDate: Date { Date(timeIntervalSince1970: TimeInterval(end)) }
    public var next: Hour { advanced(by: 1) }

    /// Whether the instant `millis` lies in `[start, end)`.
    public func contains(millis: Int64) -> Bool { millis >= startMillis && millis < endMillis }

    public static func < (a: Hour, b: Hour) -> Bool { a.start < b.start }
    public func distance(to other: Hour) -> Int { Int((other.start - start) / Self.seconds) }
    public func advanced(by hours: Int) -> Hour { Hour(startSeconds: start + Int64(hours) * Self.seconds) }
    public var description: String { DateText.utc(startDate) }
}

extension Range where Bound == Hour {
    /// Where the hours begin and end (exclusive), ms since 1970.
    public var startMillis: Int64 { lowerBound.startMillis }
    public var endMillis: Int64 { upperBound.startMillis }
}
