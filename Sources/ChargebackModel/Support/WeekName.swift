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

    /// The week of `start` with the days of it that `[start, end)` covers (`end` exclusive, a
    /// midnight), first and last, and how many of its 7 days those are when fewer:
    /// `2026-W45 (2026-11-02 to 2026-11-08)`, `2026-W44 (2026-11-01, 1 of its 7 days)`,
    /// `2026-W48 (2026-11-23 to 2026-11-28, 6 of its 7 days)`. Every file names a week so.
    public static func withDates(start: Date, end: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = zone
        let days = calendar.dateComponents([.day], from: start, to: end).day ?? 7
        let first = DateText.day(start, in: zone)
        let last = DateText.day(end.addingTimeInterval(-1), in: zone)
        let span = first == last ? first : "\(first) to \(last)"
        return "\(iso(start, in: zone)) (\(span)\(days < 7 ? ", \(days) of its 7 days" : ""))"
    }
}
