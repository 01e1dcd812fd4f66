import ChargebackConfig
import ChargebackDeliver
import ChargebackMeasure
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation

extension Costing {
    /// The costing `config` describes, at `conversion`.
    public init(config: ChargebackConfig, conversion: Conversion) {
        self.init(
            book: config.pricing, pricingFile: config.filePath(role: "pricing"), metrics: config.metrics,
            dimensions: config.costDimensions, teams: config.teams, teamsFile: config.filePath(role: "teams"),
            conversion: conversion)
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
}
