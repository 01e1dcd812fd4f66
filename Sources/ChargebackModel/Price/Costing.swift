import Foundation

/// How a period is costed, and the one path from measured tokens to cents: each hour priced at the
/// prices then in force (with the cache convention of the builds that served it), converted into
/// the report's currency at the period's rate, and allocated to teams in that currency's minor
/// unit. The report, the comparison, the trend, the forecast and the true-up all cost through it,
/// so none of them can price, convert or round differently.
public struct Costing: Sendable {
    /// The price book, its file's name for messages, and the cache conventions of the metrics.
    public let book: PriceBook
    public let pricingFile: String
    public let metrics: MetricSettings
    /// How series labels become usage keys.
    public let dimensions: UsageDimensions
    /// The team book the cents are allocated by, and its file's name for messages.
    public let teams: TeamBook
    public let teamsFile: String
    /// The exchange rate from the price book's currency into the report's, and its minor unit.
    public let conversion: Conversion

    public init(
        book: PriceBook, pricingFile: String, metrics: MetricSettings, dimensions: UsageDimensions,
        teams: TeamBook, teamsFile: String, conversion: Conversion
    ) {
        self.book = book
        self.pricingFile = pricingFile
        self.metrics = metrics
        self.dimensions = dimensions
        self.teams = teams
        self.teamsFile = teamsFile
        self.conversion = conversion
    }

    /// Hourly tokens priced and converted (exact; the ledger rounds).
    /// - Parameter newerBuilds: per `input` key and hour, whether agentgateway builds after v1.4.1
    ///   served it (``Pricing/price(usage:buckets:book:metrics:dimensions:pricingFile:newerBuilds:conversion:)``).
    /// - Throws: ``InputError`` on unpriced usage the price book refuses.
    public func price(
        _ usage: [UsageKey: [Int64]], buckets: Buckets, newerBuilds: [UsageKey: [Bool?]]
    ) throws -> PricedUsage {
        try Pricing.price(
            usage: usage, buckets: buckets, book: book, metrics: metrics,
            dimensions: dimensions, pricingFile: pricingFile,
            newerBuilds: newerBuilds, conversion: conversion)
    }

    /// Priced lines allocated to the teams of `teams` (default: the team file's) in cents of the
    /// report's currency, per day or, with `hourly`, per hour: the day ledger's cells split into
    /// their hours (``Allocation/splitIntoHours(lines:hourCount:minorUnits:)``), so every team's,
    /// day's and row's cents are the same at either granularity.
    /// `requests` (hourly per `input` key, `nil` when not measured) are placed like the tokens.
    /// - Throws: ``InputError`` on usage the team file refuses.
    public func allocate(
        _ lines: [CostLine], buckets: Buckets, hourly: Bool, teams: TeamBook? = nil,
        requests: [UsageKey: [Int64]]? = nil
    ) throws -> Allocation {
        let days = try Allocator.allocate(
            lines: lines, book: teams ?? self.teams, dimensions: dimensions,
            teamsFile: teamsFile, buckets: buckets.ledgerBuckets(hourly: false),
            hourly: false, minorUnits: conversion.minorUnits, hourStarts: buckets.hourStarts,
            requests: requests)
        guard hourly else { return days }
        return days.splitIntoHours(lines: lines, hourCount: buckets.hourCount, minorUnits: conversion.minorUnits)
    }
}
