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

    /// The period in `zone`, checked for reporting at `now`: it must have started, and only
    /// `this-month` may end in the future.
    /// - Throws: ``InputError`` (exit 64) for a period that does not parse or cannot be reported yet.
    public func resolve(in zone: TimeZone, now: Date) throws -> Period {
        let period: Period
        switch self {
        case .named(let text): period = try Period.parse(text, in: zone, now: now)
        case let .range(from, to): period = try Period.range(from: from, to: to, in: zone)
        }
        if period.start >= now {
            throw InputError(file: nil, "the period \(period.label) has not started yet")
        }
        if period.isPartial(now: now) && self != .named(Self.partialName) {
            throw InputError(file: nil, "the period \(period.label) ends in the future "
                             + "(\(DateText.rfc3339(period.end, in: zone))); use --period this-month for a "
                             + "partial report of the current month")
        }
        return period
    }
}
