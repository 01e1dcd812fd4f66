import Foundation

/// Parsing and printing of the dates and instants our files and flags use.
public enum DateText {
    /// `2026-10-14` as midnight in `zone`, or an RFC 3339 instant (`2026-10-14T08:00:00+02:00`).
    public static func parseDateOrInstant(_ text: String, in zone: TimeZone) -> Date? {
        if let day = parseDay(text, in: zone) { return day }
        return parseInstant(text)
    }

    /// An RFC 3339 instant with an explicit offset or `Z`, fractional seconds allowed.
    public static func parseInstant(_ text: String) -> Date? {
        // Checked before ICU sees it: its parser dies of SIGFPE on a fraction of ~40 digits.
        guard text.range(of: rfc3339Shape, options: .regularExpression) != nil else { return nil }
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }

    /// RFC 3339 `date-time`, with at most nanosecond digits.
    private static let rfc3339Shape =
        #"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?([Zz]|[+-][0-9]{2}:[0-9]{2})$"#

    /// `YYYY-MM-DD` as the start of that day in `zone`.
    public static func parseDay(_ text: String, in zone: TimeZone) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(year: year, month: month, day: day)
        guard let date = calendar.date(from: components),
            calendar.component(.day, from: date) == day
        else { return nil }
        return date
    }

    /// `YYYY-MM-DD` of an instant in UTC.
    public static func day(_ date: Date) -> String {
        day(date, in: TimeZone(identifier: "UTC")!)
    }

    /// `YYYY-MM-DD` of an instant in `zone`.
    public static func day(_ date: Date, in zone: TimeZone) -> String {
        let c = components(date, zone)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    /// RFC 3339 with the zone's offset at that instant (`2026-10-01T00:00:00+02:00`), `Z` for UTC.
    public static func rfc3339(_ date: Date, in zone: TimeZone) -> String {
        let c = components(date, zone)
        let offset = zone.secondsFromGMT(for: date)
        let base = String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
        if offset == 0 && zone.identifier == "UTC" || offset == 0 && zone.identifier == "GMT" { return base + "Z" }
        let sign = offset < 0 ? "-" : "+"
        let magnitude = abs(offset)
        return base + String(format: "%@%02d:%02d", sign, magnitude / 3600, (magnitude % 3600) / 60)
    }

    /// When a price point starts, as its id and display show it: `2026-10-16` at a UTC midnight,
    /// else the whole instant (`2026-10-16T12:00:00Z`), so two changes on one day stay distinct.
    public static func priceStart(_ date: Date) -> String {
        let utc = TimeZone(identifier: "UTC")!
        let midnight = date.timeIntervalSince1970.truncatingRemainder(dividingBy: 86400) == 0
        return midnight ? day(date, in: utc) : rfc3339(date, in: utc)
    }

    /// RFC 3339 in UTC with `Z`.
    public static func utc(_ date: Date) -> String {
        rfc3339(date, in: TimeZone(identifier: "UTC")!)
    }

    private static func components(_ date: Date, _ zone: TimeZone) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    }
}

extension TimeZone {
    /// The zone's IANA name as users wrote it; Foundation on Linux calls UTC "GMT".
    public var reportName: String { identifier == "GMT" ? "UTC" : identifier }
}
