import Foundation

/// The alert thresholds, applied to the batch report (docs/numbers.md), in the report's currency (the
/// config's keys, `daily_usd` and so on, are named from when that was always USD). `nil`: not checked.
public struct Thresholds: Sendable, Equatable {
    public var daily: Decimal?
    public var weekly: Decimal?
    public var monthly: Decimal?
    public var hourlyProjectionPerDay: Decimal?
    public init(
        daily: Decimal? = nil, weekly: Decimal? = nil, monthly: Decimal? = nil,
        hourlyProjectionPerDay: Decimal? = nil
    ) {
        self.daily = daily
        self.weekly = weekly
        self.monthly = monthly
        self.hourlyProjectionPerDay = hourlyProjectionPerDay
    }
}
