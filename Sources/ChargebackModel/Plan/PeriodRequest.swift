import Foundation

/// The period a `report` run asks for, as the user wrote it, before a time zone and the clock
/// make it a ``Period``.
public enum PeriodRequest: Sendable, Equatable {
    /// `--period`: `2026-10`, `2026-Q4`, `2026-W43`, `2026-10-14` or a relative name.
    case named(String)
    /// `--from` and `--to`: dates or RFC 3339 times, half-open.
    case range(from: String, to: String)

    /// The only period that may reach past the run time: a partial report of the current month.
    public static let partialName = "this-month"

    /// The moment a run treats as now: `--as-of` (an RFC 3339 time, or a date meaning its local
    /// midnight in `zone`), else the clock.
    /// - Throws: ``InputError`` (exit 64) for text that is not a time, or a moment after the clock.
    public static func runTime(asOf text: String?, in zone: TimeZone, clock: Date = Date()) throws -> Date {
        guard let text else { return clock }
        guard let moment = DateText.parseDateOrInstant(text, in: zone) else {
            throw InputError(
                file: nil, "--as-of '\(text)' is not a date or an RFC 3339 time, e.g. 2026-10-15T00:00:00Z")
        }
        if moment > clock {
            throw InputError(file: nil, "--as-of \(DateText.rfc3339(moment, in: zone)) is in the future")
        }
        return moment
    }

    /// The period in `zone`, checked for reporting at `now`: it must have started, and only
    /// `this-month` may end in the future, unless `anyPartial` (an explicit `--as-of`) makes every
    /// period that contains `now` a partial report up to it.
    /// - Throws: ``InputError`` (exit 64) for a period that does not parse or cannot be reported yet.
    public func resolve(in zone: TimeZone, now: Date, anyPartial: Bool = false) throws -> Period {
        let period: Period
        switch self {
        case .named(let text): period = try Period.parse(text, in: zone, now: now)
        case .range(let from, let to): period = try Period.range(from: from, to: to, in: zone)
        }
        if period.start >= now {
            throw InputError(file: nil, "the period \(period.label) has not started yet")
        }
        if period.isPartial(now: now) && self != .named(Self.partialName) && !anyPartial {
            throw InputError(
                file: nil,
                "the period \(period.label) ends in the future "
                    + "(\(DateText.rfc3339(period.end, in: zone))); use --period this-month for a "
                    + "partial report of the current month")
        }
        return period
    }
}
