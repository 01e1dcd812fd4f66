import Foundation

/// Where an amount stands against a threshold or budget: the one rule every file shows.
///
/// The amount compared is the cents the reader sees (a sum of the ledger's cents, or a measured
/// figure rounded to cents), against the limit as shown: `exceeded` when it reaches the limit
/// (`≥`, as the live alerts' `>=`), `warning` from 80 % of it, else `ok`. A limit of 0 is
/// exceeded by any cost above 0.
public enum LimitStatus: String, Sendable, Equatable {
    case ok, warning, exceeded

    /// The status of `cents` against `limit`; `ok` when there is no limit.
    public init(cents: Decimal, limit: Decimal?) {
        guard let limit else {
            self = .ok
            return
        }
        if limit <= 0 {
            self = cents > 0 ? .exceeded : .ok
        } else if cents >= limit {
            self = .exceeded
        } else {
            self = cents * 5 >= limit * 4 ? .warning : .ok
        }
    }

    /// "reached" when the amount equals the limit, "over" when it is above it.
    public static func verb(cents: Decimal, limit: Decimal) -> String {
        cents == limit ? "reached" : "is over"
    }

    /// `cents` as a share of `limit` in percent, cut (not rounded) to one decimal, so the figure
    /// shown never reaches 80 or 100 before the status does; `nil` without a positive limit.
    public static func usedPercent(cents: Decimal, limit: Decimal?) -> Decimal? {
        guard let limit, limit > 0 else { return nil }
        // Cut toward zero, as the workbook's ROUNDDOWN does: a net below zero after credits too.
        let share = cents * 100 / limit
        return Money.round(share, scale: 1, share < 0 ? .up : .down)
    }
}
