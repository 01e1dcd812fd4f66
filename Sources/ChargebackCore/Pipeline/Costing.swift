import Foundation

/// How a period is costed, and the one path from measured tokens to cents: each hour priced at the
/// prices then in force (with the cache convention of the builds that served it), converted into
/// the report's currency at the period's rate, and allocated to teams in that currency's minor
/// unit. The report, the comparison, the trend, the forecast and the true-up all cost through it,
/// so none of them can price, convert or round differently.
public struct Costing: Sendable {
    public let config: ChargebackConfig
    /// The exchange rate from the price book's currency into the report's, and its minor unit.
    public let conversion: Conversion

    public init(config: ChargebackConfig, conversion: Conversion) {
        self.config = config
        self.conversion = conversion
    }

    /// The costing of `period`: the exchange rate in force on its first day.
    /// - Throws: ``InputError`` when no rate into the report's currency is in force then.
    public init(config: ChargebackConfig, period: Period) throws {
        self.init(
            config: config,
            conversion: try Conversion.resolve(
                config.currency, bookCurrency: config.pricing.currency, start: period.start,
                timeZone: period.timeZone, configFile: config.filePath(role: "config")))
    }

    /// Hourly tokens priced and converted (exact; the ledger rounds).
    /// - Parameter newerBuilds: per `input` key and hour, whether agentgateway builds after v1.4.1
    ///   served it (``Pricing/price(usage:buckets:book:metrics:dimensions:pricingFile:newerBuilds:conversion:)``).
    /// - Throws: ``InputError`` on unpriced usage the price book refuses.
    public func price(
        _ usage: [UsageKey: [Int64]], buckets: Buckets, newerBuilds: [UsageKey: [Bool?]]
    ) throws -> PricedUsage {
        try Pricing.price(
            usage: usage, buckets: buckets, book: config.pricing, metrics: config.metrics,
            dimensions: config.dimensions, pricingFile: config.filePath(role: "pricing"),
            newerBuilds: newerBuilds, conversion: conversion)
    }

    /// Priced lines allocated to the teams of `teams` (default: the team file's) in cents of the
    /// report's currency, per day or, with `hourly`, per hour: the day ledger's cells split into
    /// their hours (``Allocation/splitIntoHours(lines:hourCount:minorUnits:)``), so every team's,
    /// day's and row's cents are the same at either granularity.
    /// - Throws: ``InputError`` on usage the team file refuses.
    public func allocate(
        _ lines: [CostLine], buckets: Buckets, hourly: Bool, teams: TeamBook? = nil
    ) throws -> Allocation {
        let days = try Allocator.allocate(
            lines: lines, book: teams ?? config.teams, dimensions: config.dimensions,
            teamsFile: config.filePath(role: "teams"), buckets: buckets.ledgerBuckets(hourly: false),
            hourly: false, minorUnits: conversion.minorUnits)
        guard hourly else { return days }
        return days.splitIntoHours(lines: lines, hourCount: buckets.hourCount, minorUnits: conversion.minorUnits)
    }
}
