import Foundation

extension Period {
    /// The period just before this one, of the same kind: the month, quarter, ISO week or day
    /// before, or for a `--from`/`--to` range the range of the same length ending at this start.
    ///
    /// Boundaries are local midnights of the same zone, so the month before October in
    /// Europe/Berlin is September from 2026-08-31T22:00Z. A month before a 31-day month may be
    /// shorter: it is still the whole month.
    public var previous: Period {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        switch kind {
        case .month:
            return month(startingAt: calendar.date(byAdding: .month, value: -1, to: start)!, months: 1, calendar)
        case .quarter:
            return month(startingAt: calendar.date(byAdding: .month, value: -3, to: start)!, months: 3, calendar)
        case .week:
            let from = calendar.date(byAdding: .day, value: -7, to: start)!
            var iso = Calendar(identifier: .iso8601)
            iso.timeZone = timeZone
            let parts = iso.dateComponents([.yearForWeekOfYear, .weekOfYear], from: from)
            return Period(
                label: String(format: "%04d-W%02d", parts.yearForWeekOfYear!, parts.weekOfYear!), start: from,
                end: start, timeZone: timeZone)
        case .day:
            let from = calendar.date(byAdding: .day, value: -1, to: start)!
            return Period(label: DateText.day(from, in: timeZone), start: from, end: start, timeZone: timeZone)
        case .range:
            // A range of whole local days steps back by as many days (a 25-hour day stays a day).
            let days = calendar.dateComponents([.day], from: start, to: end).day ?? 0
            let whole = calendar.startOfDay(for: start) == start && calendar.startOfDay(for: end) == end && days > 0
            let from =
                whole ? calendar.date(byAdding: .day, value: -days, to: start)! : start.addingTimeInterval(-seconds)
            let text = { (date: Date) in
                whole ? DateText.day(date, in: timeZone) : Self.compact(DateText.rfc3339(date, in: timeZone))
            }
            let label = "\(text(from))_\(text(start))"
            return Period(label: label, start: from, end: start, timeZone: timeZone)
        }
    }

    /// The `count` periods before this one, nearest first.
    public func previous(_ count: Int) -> [Period] {
        var periods: [Period] = []
        var cursor = self
        for _ in 0..<max(0, count) {
            cursor = cursor.previous
            periods.append(cursor)
        }
        return periods
    }

    /// The first `seconds` of this period (all of it when it is shorter), with the same label:
    /// what a partial period is compared with.
    public func prefix(seconds length: Double) -> Period {
        Period(label: label, start: start, end: min(end, start.addingTimeInterval(length)), timeZone: timeZone)
    }

    /// What kind of period the label names.
    enum Kind { case month, quarter, week, day, range }

    var kind: Kind {
        let parts = label.split(separator: "-", omittingEmptySubsequences: false)
        if label.contains("_") || parts.count < 2 { return .range }
        if parts.count == 3 { return .day }
        if parts[1].hasPrefix("Q") { return .quarter }
        if parts[1].hasPrefix("W") { return .week }
        return .month
    }

    private func month(startingAt from: Date, months: Int, _ calendar: Calendar) -> Period {
        let parts = calendar.dateComponents([.year, .month], from: from)
        let label =
            months == 3
            ? "\(parts.year!)-Q\((parts.month! + 2) / 3)" : String(format: "%04d-%02d", parts.year!, parts.month!)
        return Period(
            label: label, start: from, end: calendar.date(byAdding: .month, value: months, to: from)!,
            timeZone: timeZone)
    }
}
