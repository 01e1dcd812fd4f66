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
        let c = Civil(date, offset: zone.secondsFromGMT(for: date))
        var text = ""
        text.reserveCapacity(10)
        c.appendDay(to: &text)
        return text
    }

    /// RFC 3339 with the zone's offset at that instant (`2026-10-01T00:00:00+02:00`), `Z` for UTC.
    public static func rfc3339(_ date: Date, in zone: TimeZone) -> String {
        let offset = zone.secondsFromGMT(for: date)
        let c = Civil(date, offset: offset)
        var text = ""
        text.reserveCapacity(25)
        c.appendDay(to: &text)
        text += "T"
        Civil.append(c.hour, to: &text)
        text += ":"
        Civil.append(c.minute, to: &text)
        text += ":"
        Civil.append(c.second, to: &text)
        if offset == 0 && zone.identifier == "UTC" || offset == 0 && zone.identifier == "GMT" { return text + "Z" }
        let magnitude = abs(offset)
        text += offset < 0 ? "-" : "+"
        Civil.append(magnitude / 3600, to: &text)
        text += ":"
        Civil.append((magnitude % 3600) / 60, to: &text)
        return text
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

    /// The proleptic Gregorian date and time of an instant at a fixed offset, by arithmetic
    /// (days from the civil date, H. Hinnant): what `Calendar` gives, at a fraction of its cost.
    struct Civil {
        let year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int

        init(_ date: Date, offset: Int) {
            let seconds = Int(date.timeIntervalSince1970.rounded(.down)) + offset
            let (days, time) = (seconds.floorDivided(by: 86_400), seconds.floorModulo(86_400))
            let shifted = days + 719_468
            let era = shifted.floorDivided(by: 146_097)
            let dayOfEra = shifted - era * 146_097
            let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
            let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
            let monthFromMarch = (5 * dayOfYear + 2) / 153
            day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
            month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
            year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
            (hour, minute, second) = (time / 3600, time % 3600 / 60, time % 60)
        }

        /// `YYYY-MM-DD`.
        func appendDay(to text: inout String) {
            Self.append(year, digits: 4, to: &text)
            text += "-"
            Self.append(month, to: &text)
            text += "-"
            Self.append(day, to: &text)
        }

        /// `value` with leading zeros to `digits` (as `%0Nd`).
        static func append(_ value: Int, digits: Int = 2, to text: inout String) {
            let decimal = String(abs(value))
            if value < 0 { text += "-" }
            if decimal.utf8.count < digits { text += String(repeating: "0", count: digits - decimal.utf8.count) }
            text += decimal
        }
    }
}

extension TimeZone {
    /// The zone's IANA name as users wrote it; Foundation on Linux calls UTC "GMT".
    public var reportName: String { identifier == "GMT" ? "UTC" : identifier }
}

extension Int {
    /// The quotient rounded toward negative infinity (`-1 / 86400` is -1, not 0).
    fileprivate func floorDivided(by divisor: Int) -> Int {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    /// The remainder that goes with ``floorDivided(by:)``: between 0 and `divisor`.
    fileprivate func floorModulo(_ divisor: Int) -> Int { self - floorDivided(by: divisor) * divisor }
}
