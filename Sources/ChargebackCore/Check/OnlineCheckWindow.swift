import ChargebackConfig
import ChargebackDeliver
import ChargebackMeasure
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation

/// The stretch of time `validate --online` looks at: by default the 30 days before now (or before
/// `--as-of`), or an explicit `[from, to)`.
public struct OnlineCheckWindow: Sendable, Equatable {
    /// How many days the default window covers.
    public static let defaultDays = 30

    public let start: Date
    public let end: Date
    /// How the window was chosen, for people: `the 30 days before --as-of`, `--from/--to`.
    public let origin: String

    public init(start: Date, end: Date, origin: String) {
        self.start = start
        self.end = end
        self.origin = origin
    }

    /// The ``defaultDays`` days before `end`.
    public static func days(before end: Date, origin: String) -> OnlineCheckWindow {
        OnlineCheckWindow(
            start: end.addingTimeInterval(-Double(defaultDays) * 86400), end: end,
            origin: "the \(defaultDays) days before \(origin)")
    }

    /// The window for people: `2026-10-02T00:00:00Z to 2026-11-01T00:00:00Z (the 30 days before --as-of)`.
    public var description: String { "\(DateText.utc(start)) to \(DateText.utc(end)) (\(origin))" }

    /// What to do when the window holds nothing.
    var otherWindowHint: String {
        "validate --online looked at \(origin); choose another window with --as-of TIME (its end) "
            + "or --from and --to, e.g. --as-of 2026-11-01T00:00:00Z or --from 2026-10-01 --to 2026-11-01"
    }
}
