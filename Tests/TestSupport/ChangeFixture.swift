import ChargebackCore
import Foundation

/// The fixed report of ``ReportFixture`` with the figures that look past its period: the three
/// days before (priced at the sonnet price before its change on the 25th), with other volumes per
/// key and without the haiku output, so every effect shows; and a trend of the two periods before.
public enum ChangeFixture {
    public static func make() throws -> Report {
        let (report, config) = try ReportFixture.build { $0.groupBy = ["system"] }
        let previous = report.period.previous
        let before = try figures(report, config, previous, factors: [9, 13, 7, 11], haiku: false)
        let comparison = Compare.compare(
            current: PeriodFigures(lines: report.lines, allocation: report.allocation),
            previous: before, previousPeriod: previous)
        let earlier = previous.previous
        let trend = Trend(points: [
            TrendPoint(period: earlier.previous, unavailable: "has no data"),
            TrendPoint(
                period: earlier, figures: try figures(report, config, earlier, factors: [6, 8, 5, 9], haiku: true)),
            TrendPoint(period: previous, figures: before),
            TrendPoint(
                period: report.period, figures: PeriodFigures(lines: report.lines, allocation: report.allocation)),
        ])
        // A forecast as a partial report would carry it (the renderers' view; ForecasterTests makes real ones).
        let day = { (text: String) in DateText.parseDay(text, in: report.period.timeZone)! }
        let forecast = Forecast(
            asOf: DateText.parseInstant("2026-10-25T10:00:00Z")!,
            rows: [
                ForecastRow(
                    scope: .total, name: "Total", soFar: 120, forecast: Decimal(string: "233.25")!,
                    low: Decimal(string: "210.10")!, high: Decimal(string: "256.40")!,
                    budget: Decimal(string: "67.74")!,
                    budgetCrossedOn: day("2026-10-24")),
                ForecastRow(
                    scope: .team, name: "Search", soFar: 100, forecast: Decimal(string: "207.38")!,
                    low: Decimal(string: "186.75")!, high: Decimal(string: "228.01")!,
                    budget: Decimal(string: "38.71")!,
                    budgetCrossedOn: day("2026-10-24")),
                ForecastRow(
                    scope: .team, name: "Research", soFar: 20, forecast: Decimal(string: "25.87")!,
                    low: Decimal(string: "25.28")!, high: Decimal(string: "26.46")!, budget: Decimal(string: "29.03")!,
                    budgetCrossedOn: nil),
                ForecastRow(
                    scope: .team, name: "Unallocated", soFar: 0, forecast: 0, low: 0, high: 0, budget: nil,
                    budgetCrossedOn: nil),
            ],
            crossings: [
                ForecastCrossing(
                    window: .day, label: "2026-10-26", threshold: 50, cost: Decimal(string: "61.20")!,
                    on: day("2026-10-26"))
            ], spread: Decimal(string: "0.1")!, profileHours: 672)
        return report.with(comparison: comparison).with(trend: trend).with(forecast: forecast)
    }

    /// The report's usage moved to `period`, each key's hourly tokens × a factor ÷ 10, priced and
    /// allocated with the report's files.
    static func figures(
        _ report: Report, _ config: ChargebackConfig, _ period: Period, factors: [Int64], haiku: Bool
    ) throws -> PeriodFigures {
        let buckets = Buckets(period: period)
        var usage: [UsageKey: [Int64]] = [:]
        for (number, line) in report.lines.enumerated() where haiku || !line.key.model.contains("haiku") {
            let factor = factors[number % factors.count]
            usage[line.key] = (0..<buckets.hourCount).map {
                line.hourlyTokens[$0 % line.hourlyTokens.count] * factor / 10
            }
        }
        let priced = try Pricing.price(
            usage: usage, buckets: buckets, book: config.pricing, metrics: config.metrics,
            dimensions: config.dimensions, pricingFile: "pricing.yaml")
        let allocation = try Allocator.allocate(
            lines: priced.lines, book: config.teams,
            dimensions: UsageDimensions(labels: LabelNames(), extraLabels: []),
            teamsFile: "teams.yaml", buckets: buckets.ledgerBuckets(hourly: false))
        return PeriodFigures(lines: priced.lines, allocation: allocation)
    }
}
