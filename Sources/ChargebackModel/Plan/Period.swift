import Foundation

/// A half-open reporting interval `[start, end)` with the label used in file names.
public struct Period: Equatable, Sendable {
    /// `2026-10`, `2026-Q4`, `2026-W43`, `2026-10-14`, or `<from>_<to>`.
    public let label: String
    public let start: Date
    public let end: Date
    /// The zone its calendar boundaries were computed in.
    public let timeZone: TimeZone

    public init(label: String, start: Date, end: Date, timeZone: TimeZone) {
        self.label = label
        self.start = start
        self.end = end
        self.timeZone = timeZone
    }

    /// Whether the period reaches past `now` (a `this-month` style partial report).
    public func isPartial(now: Date) -> Bool { end > now }

    /// Length in seconds.
    public var seconds: Double { end.timeIntervalSince(start) }
}

extension Period {
    /// Parses a `--period` value in `zone`.
    ///
    /// Accepts `YYYY-MM`, `YYYY-Qn`, `YYYY-Www` (ISO week), `YYYY-MM-DD`, and the relative
    /// `last-month`, `this-month` (up to `now`), `last-week`, `yesterday`.
    /// - Throws: ``InputError`` naming the flag and the accepted forms.
    public static func parse(_ text: String, in zone: TimeZone, now: Date = Date()) throws -> Period {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let bad = InputError(
            file: nil,
            "--period '\(text)' is not a period; use 2026-10, 2026-Q4, 2026-W43, "
                + "2026-10-14, last-month, this-month, last-week or yesterday")
        func month(_ year: Int, _ month: Int) throws -> Period {
            guard let start = calendar.date(from: DateComponents(year: year, month: month, day: 1)),
                let end = calendar.date(byAdding: .month, value: 1, to: start)
            else { throw bad }
            return Period(label: String(format: "%04d-%02d", year, month), start: start, end: end, timeZone: zone)
        }
        func day(_ start: Date) throws -> Period {
            guard let end = calendar.date(byAdding: .day, value: 1, to: start) else { throw bad }
            return Period(label: DateText.day(start, in: zone), start: start, end: end, timeZone: zone)
        }
        func isoWeek(containing date: Date) throws -> Period {
            var iso = Calendar(identifier: .iso8601)
            iso.timeZone = zone
            let parts = iso.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
            return try week(parts.yearForWeekOfYear!, parts.weekOfYear!)
        }
        func week(_ year: Int, _ number: Int) throws -> Period {
            var iso = Calendar(identifier: .iso8601)
            iso.timeZone = zone
            var parts = DateComponents()
            parts.yearForWeekOfYear = year
            parts.weekOfYear = number
            parts.weekday = 2
            guard (1...53).contains(number), let start = iso.date(from: parts),
                iso.component(.weekOfYear, from: start) == number,
                let end = iso.date(byAdding: .day, value: 7, to: start)
            else { throw bad }
            return Period(label: String(format: "%04d-W%02d", year, number), start: start, end: end, timeZone: zone)
        }
        let today = calendar.startOfDay(for: now)
        let nowParts = calendar.dateComponents([.year, .month], from: now)
        switch text {
        case "this-month":
            let full = try month(nowParts.year!, nowParts.month!)
            return Period(label: full.label, start: full.start, end: full.end, timeZone: zone)
        case "last-month":
            guard let previous = calendar.date(byAdding: .month, value: -1, to: now) else { throw bad }
            let parts = calendar.dateComponents([.year, .month], from: previous)
            return try month(parts.year!, parts.month!)
        case "yesterday":
            guard let start = calendar.date(byAdding: .day, value: -1, to: today) else { throw bad }
            return try day(start)
        case "last-week":
            guard let lastWeek = calendar.date(byAdding: .day, value: -7, to: now) else { throw bad }
            return try isoWeek(containing: lastWeek)
        default:
            break
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, parts[0].count == 4, let year = Int(parts[0]), year >= 1970 else { throw bad }
        func missing(_ what: String, _ hint: String = "") -> InputError {
            InputError(file: nil, "--period '\(text)': \(what) does not exist" + hint)
        }
        if parts.count == 2, parts[1].count == 2, let number = Int(parts[1]) {
            guard (1...12).contains(number) else { throw missing("month \(number)", " (01 to 12)") }
            return try month(year, number)
        }
        if parts.count == 2, parts[1].hasPrefix("Q"), let quarter = Int(parts[1].dropFirst()) {
            guard (1...4).contains(quarter) else { throw missing("quarter Q\(quarter)", " (Q1 to Q4)") }
            let first = try month(year, quarter * 3 - 2)
            let last = try month(year, quarter * 3)
            return Period(label: "\(year)-Q\(quarter)", start: first.start, end: last.end, timeZone: zone)
        }
        if parts.count == 2, parts[1].hasPrefix("W"), parts[1].count == 3, let number = Int(parts[1].dropFirst()) {
            do { return try week(year, number) } catch { throw missing("ISO week \(number) of \(year)") }
        }
        if parts.count == 3, let start = DateText.parseDay(text, in: zone) {
            return try day(start)
        }
        throw bad
    }

    /// A period from `--from` and `--to` (dates or RFC 3339 instants), half-open.
    /// - Throws: ``InputError`` when either does not parse, `to` is not after `from`, `from` is
    ///   before 1970 or the range is longer than 366 days.
    public static func range(from: String, to: String, in zone: TimeZone) throws -> Period {
        guard let start = DateText.parseDateOrInstant(from, in: zone) else {
            throw InputError(
                file: nil, "--from '\(from)' is not a date (2026-10-01) or RFC 3339 time (2026-10-01T00:00:00Z)")
        }
        guard let end = DateText.parseDateOrInstant(to, in: zone) else {
            throw InputError(
                file: nil, "--to '\(to)' is not a date (2026-11-01) or RFC 3339 time (2026-11-01T00:00:00Z)")
        }
        guard end > start else { throw InputError(file: nil, "--to must be after --from (the range is [from, to))") }
        // Like --period (from 1970), and no longer than a year, so a typo such as 6026 cannot ask
        // for millennia of hour buckets.
        guard start >= Date(timeIntervalSince1970: 0) else {
            throw InputError(file: nil, "--from '\(from)' is before 1970-01-01T00:00:00Z")
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        guard let limit = calendar.date(byAdding: .day, value: maxRangeDays, to: start), end <= limit else {
            throw InputError(
                file: nil,
                "--from '\(from)' to --to '\(to)' is longer than \(maxRangeDays) days; "
                    + "write one report per year or shorter")
        }
        return Period(label: "\(compact(from))_\(compact(to))", start: start, end: end, timeZone: zone)
    }

    /// The longest `--from`/`--to` range, in days of the report's zone.
    static let maxRangeDays = 366

    /// A file-name-safe form of a flag value (`2026-10-01T00:00:00+02:00` → `2026-10-01T000000+0200`).
    static func compact(_ text: String) -> String {
        String(text.filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "+" || $0 == "T" || $0 == "Z" })
    }
}
