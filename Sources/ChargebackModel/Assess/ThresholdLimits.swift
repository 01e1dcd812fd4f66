import Foundation

/// The alert thresholds, applied to the batch report (docs/numbers.md). `nil` means not checked.
public struct Thresholds: Sendable, Equatable {
    public var dailyUSD: Decimal?
    public var weeklyUSD: Decimal?
    public var monthlyUSD: Decimal?
    public var hourlyProjectionUSDPerDay: Decimal?
    public init(
        dailyUSD: Decimal? = nil, weeklyUSD: Decimal? = nil, monthlyUSD: Decimal? = nil,
        hourlyProjectionUSDPerDay: Decimal? = nil
    ) {
        self.dailyUSD = dailyUSD
        self.weeklyUSD = weeklyUSD
        self.monthlyUSD = monthlyUSD
        self.hourlyProjectionUSDPerDay = hourlyProjectionUSDPerDay
    }
}
