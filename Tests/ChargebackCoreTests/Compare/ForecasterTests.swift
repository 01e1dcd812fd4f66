import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// The forecast of a running period: a usage pattern that repeats every week is projected to the
/// cent, the range holds the projection, and budgets are reached on the day the running sum does.
final class ForecasterTests: XCTestCase {
    let utc = TimeZone(identifier: "UTC")!
    let key = UsageKey(gateway: "gw1", model: "dear-model", tokenType: "input", system: "anthropic")
    let other = UsageKey(gateway: "gw2", model: "dear-model", tokenType: "output", system: "anthropic")

    func config(budget: Decimal) -> ChargebackConfig {
        let book = PriceBook(
            currency: "USD",
            models: [
                ModelPricing(
                    match: Glob("dear-model"),
                    prices: [
                        PricePoint(
                            from: DateText.parseDay("2026-01-01", in: utc)!, input: 3, output: 15, cacheRead: nil,
                            cacheWrite: nil),
                        // A price cut on the 20th: the future hours after it are priced at it.
                        PricePoint(
                            from: DateText.parseDay("2026-10-20", in: utc)!, input: 2, output: 10, cacheRead: nil,
                            cacheWrite: nil),
                    ])
            ], unpriced: .error)
        let teams = TeamBook(
            teams: [Team(name: "Search", monthlyBudget: budget), Team(name: "Research")],
            rules: [
                TeamRule(match: ["gateway": Glob("gw1")], action: .team("Search"), origin: "teams.yaml:3"),
                TeamRule(match: ["gateway": Glob("gw2")], action: .team("Research"), origin: "teams.yaml:4"),
            ], unallocated: .report)
        return ChargebackConfig(
            prometheus: PrometheusSettings(url: URL(string: "http://127.0.0.1:9090")!),
            metrics: MetricSettings(), pricing: book, teams: teams, timeZone: utc,
            thresholds: Thresholds(daily: 40), gapFactor: 1.5, files: [])
    }

    /// Tokens in the hour starting at `date`: busy weekdays, quiet weekends, a daily rhythm.
    func tokens(_ date: Date, _ key: UsageKey) -> Int64 {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = utc
        let parts = calendar.dateComponents([.weekday, .hour], from: date)
        let weekend = parts.weekday == 1 || parts.weekday == 7
        let base: Int64 = key == self.key ? 400_000 : 30_000
        return (weekend ? base * 2 / 5 : base) * Int64(parts.hour! < 8 ? 1 : 3)
    }

    func usage(_ buckets: Buckets, until end: Date) -> [UsageKey: [Int64]] {
        Dictionary(
            uniqueKeysWithValues: [key, other].map { key in
                (
                    key,
                    (0..<buckets.hourCount).map { buckets.hourStart($0) < end ? tokens(buckets.hourStart($0), key) : 0 }
                )
            })
    }

    func allocate(_ usage: [UsageKey: [Int64]], _ buckets: Buckets, _ config: ChargebackConfig) throws
        -> (lines: [CostLine], allocation: Allocation)
    {
        try allocate(usage, buckets, Costing(config: config, conversion: .usd))
    }

    func allocate(_ usage: [UsageKey: [Int64]], _ buckets: Buckets, _ costing: Costing) throws
        -> (lines: [CostLine], allocation: Allocation)
    {
        let lines = try costing.price(usage, buckets: buckets, newerBuilds: [:]).lines
        return (lines, try costing.allocate(lines, buckets: buckets, hourly: false))
    }

    /// October's forecast as of the 15th under `costing`: the cents so far and the projection
    /// both cost by it, as the pipeline does.
    func forecast(_ costing: Costing) throws -> Forecast {
        let october = try Period.parse("2026-10", in: utc)
        let asOf = DateText.parseInstant("2026-10-15T00:00:00Z")!
        let lookback = Forecaster.lookback(before: asOf, in: utc)
        let lookbackBuckets = Buckets(period: lookback)
        let profile = try allocate(usage(lookbackBuckets, until: lookback.end), lookbackBuckets, costing)
        let measured = usage(Buckets(period: october), until: asOf)
        let soFar = try allocate(measured, Buckets(period: october), costing)
        return try Forecaster.forecast(
            period: october, asOf: asOf, measured: measured, soFar: soFar.allocation,
            profile: profile.lines, profileBuckets: lookbackBuckets, validFrom: nil,
            thresholds: config(budget: 0).thresholds, costing: costing)
    }

    /// A forecast in another currency is in that currency: every figure equals the forecast made
    /// with a price book written in it (the prices × the rate), in its own minor unit, and is the
    /// USD figure × the rate within the rounding of the ledger's cells.
    func testAForecastInAnotherCurrencyIsConvertedLikeTheCentsSoFar() throws {
        let usd = try forecast(Costing(config: config(budget: 1_000_000), conversion: .usd))
        for (code, rate, minorUnits) in [("EUR", "0.5", 2), ("KWD", "0.307", 3)] {
            let rate = Decimal(string: rate)!
            var converted = config(budget: 1_000_000)
            converted.currency = CurrencySettings(
                currency: code,
                rates: [
                    ExchangeRate(from: "USD", to: code, rate: rate, date: "2026-01-01", origin: "chargeback.yaml:9")
                ])
            let costing = try Costing(config: converted, period: try Period.parse("2026-10", in: utc))
            XCTAssertEqual(costing.conversion.minorUnits, minorUnits)
            let forecast = try forecast(costing)
            // The same book written in the other currency, nothing to convert.
            var native = config(budget: 1_000_000)
            native.pricing = PriceBook(
                currency: code,
                models: native.pricing.models.map { model in
                    ModelPricing(
                        match: model.match,
                        prices: model.prices.map {
                            PricePoint(
                                from: $0.from, input: $0.input.map { $0 * rate }, output: $0.output.map { $0 * rate },
                                cacheRead: nil, cacheWrite: nil)
                        })
                }, unpriced: .error)
            native.currency = CurrencySettings(currency: code)
            let expected = try self.forecast(Costing(config: native, period: try Period.parse("2026-10", in: utc)))
            XCTAssertEqual(forecast.rows.map(\.name), expected.rows.map(\.name))
            let cells = Decimal(2 * 31) / pow(10, minorUnits)
            for (row, want) in zip(forecast.rows, expected.rows) {
                XCTAssertEqual(row.soFar, want.soFar, "\(code) \(row.name) so far")
                XCTAssertEqual(row.forecast, want.forecast, "\(code) \(row.name) forecast")
                XCTAssertEqual(row.low, want.low, "\(code) \(row.name) low")
                XCTAssertEqual(row.high, want.high, "\(code) \(row.name) high")
                let dollars = try XCTUnwrap(usd.rows.first { $0.name == row.name })
                XCTAssertLessThanOrEqual(abs(row.forecast - dollars.forecast * rate), cells, "\(code) \(row.name)")
                XCTAssertGreaterThan(row.forecast, 0)
            }
        }
    }

    func testAWeeklyPatternIsProjectedToTheCentAndBudgetsAreReachedOnTheRightDay() throws {
        let october = try Period.parse("2026-10", in: utc)
        let asOf = DateText.parseInstant("2026-10-15T00:00:00Z")!
        let buckets = Buckets(period: october)
        // The whole month as it will be, for the expected figures.
        let probe = config(budget: 1_000_000)
        let truth = try allocate(usage(buckets, until: october.end), buckets, probe)
        // A budget the Search team reaches on the 23rd.
        var running = Decimal(0)
        var budget = Decimal(0)
        for (index, day) in buckets.days.enumerated() {
            let cents = truth.allocation.ledger.cells.filter {
                $0.team == 0 && truth.allocation.ledger.lines[$0.line].bucket == index
            }
            .reduce(Decimal(0)) { $0 + $1.cost }
            running += cents
            if DateText.day(day.start, in: utc) == "2026-10-23" { budget = running - Decimal(string: "0.01")! }
        }
        let config = config(budget: budget)
        let lookback = Forecaster.lookback(before: asOf, in: utc)
        XCTAssertEqual(lookback.end, asOf)
        XCTAssertEqual(lookback.seconds, 28 * 86_400)
        let lookbackBuckets = Buckets(period: lookback)
        let profile = try allocate(usage(lookbackBuckets, until: lookback.end), lookbackBuckets, config)
        let measured = usage(buckets, until: asOf)
        let soFar = try allocate(measured, buckets, config)
        let forecast = try Forecaster.forecast(
            period: october, asOf: asOf, measured: measured, soFar: soFar.allocation,
            profile: profile.lines, profileBuckets: lookbackBuckets, validFrom: nil,
            thresholds: config.thresholds, costing: Costing(config: config, conversion: .usd))
        let total = try XCTUnwrap(forecast.total)
        XCTAssertEqual(total.soFar, soFar.allocation.roundedTotal)
        XCTAssertEqual(
            total.forecast, truth.allocation.roundedTotal, "the pattern repeats, priced at the cut from the 20th")
        XCTAssertLessThanOrEqual(total.low, total.forecast)
        XCTAssertGreaterThanOrEqual(total.high, total.forecast)
        XCTAssertEqual(forecast.profileHours, 28 * 24)
        let search = try XCTUnwrap(forecast.rows.first { $0.name == "Search" })
        XCTAssertEqual(search.forecast, truth.allocation.cost(of: "Search"))
        XCTAssertEqual(search.budgetCrossedOn.map { DateText.day($0, in: utc) }, "2026-10-23")
        XCTAssertNil(forecast.rows.first { $0.name == "Research" }?.budget)
        // The daily threshold of $40: the first projected weekday after the 15th reaches it.
        let daily = try XCTUnwrap(forecast.crossings.first { $0.window == .day })
        XCTAssertEqual(DateText.day(daily.on, in: utc), "2026-10-15")
        XCTAssertGreaterThanOrEqual(daily.cost, 40)
        let csv = CSVReports.forecast(forecast, zone: utc)
        XCTAssertEqual(
            csv.split(separator: "\n").first,
            "scope,name,cost_so_far,forecast,forecast_low,forecast_high,budget,budget_crossed_on")
        XCTAssertTrue(
            csv.contains("\nteam,Search,\(DecimalText.cents(search.soFar)),\(DecimalText.cents(search.forecast)),"))
        XCTAssertTrue(csv.contains(",\(DecimalText.cents(budget)),2026-10-23\n"), csv)
    }

    /// Hours before the backend's data are not zeros of the profile: the mean is of the hours
    /// that have data.
    func testHoursBeforeTheDataAreLeftOutOfTheProfile() throws {
        let lookback = Forecaster.lookback(before: DateText.parseInstant("2026-10-05T00:00:00Z")!, in: utc)
        let buckets = Buckets(period: lookback)
        let dataStart = DateText.parseInstant("2026-09-26T00:00:00Z")!
        let lines = try allocate(
            usage(buckets, until: lookback.end).mapValues { hours in
                hours.enumerated().map { buckets.hourStart($0.offset) < dataStart ? 0 : $0.element }
            }, buckets, config(budget: 1)
        ).lines
        let with = HourProfile(lines: lines, buckets: buckets, validFrom: dataStart)
        let without = HourProfile(lines: lines, buckets: buckets, validFrom: nil)
        let monday = DateText.parseInstant("2026-10-05T10:00:00Z")!
        XCTAssertEqual(with.tokens(key, at: monday), tokens(monday, key))
        XCTAssertLessThan(without.tokens(key, at: monday), tokens(monday, key))
        XCTAssertEqual(with.validHours, 9 * 24)
    }
}
