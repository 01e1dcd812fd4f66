import Foundation

/// The one way every file names a week: its ISO week (`2026-W41`), with its dates where there is room.
public enum WeekName {
    /// `2026-W41`: the ISO week (Monday to Sunday in `zone`) that contains `date`.
    public static func iso(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
        return String(format: "%04d-W%02d", parts.yearForWeekOfYear ?? 0, parts.weekOfYear ?? 0)
    }

    /// `2026-W41 (2026-10-05 to 2026-10-11)`: the week of `start` with its first and last day;
    /// `end` is exclusive (the next Monday's midnight).
    public static func withDates(start: Date, end: Date, in zone: TimeZone) -> String {
        let lastDay = DateText.day(end.addingTimeInterval(-1), in: zone)
        return "\(iso(start, in: zone)) (\(DateText.day(start, in: zone)) to \(lastDay))"
    }
}
