import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

final class PricingTests: XCTestCase {
    /// A price per token by moving the decimal point is the division's, to the last digit, for
    /// prices as books write them and for random ones of every size.
    func testPerTokenIsThePricePerMillionDividedExactly() {
        var generator = SystemRandomNumberGenerator()
        var prices: [Decimal] = ["0", "3", "15", "0.3", "3.75", "0.000001", "1234567.891", "0.0375"].map {
            Decimal(string: $0)!
        }
        for _ in 0..<20_000 {
            let significand =
                Decimal(UInt64.random(in: 0...UInt64.max, using: &generator))
                * Decimal(UInt64.random(in: 0...999_999, using: &generator))
            prices.append(
                Decimal(sign: .plus, exponent: Int.random(in: -40...10, using: &generator), significand: significand))
        }
        for price in prices {
            let perToken = Money.perToken(price)
            XCTAssertEqual(perToken, price / 1_000_000, "\(price)")
            XCTAssertEqual(perToken * 1_000_000, price, "\(price)")
        }
    }

    let utc = TimeZone(identifier: "UTC")!

    let dimensions = UsageDimensions(labels: LabelNames(), extraLabels: [])

    func day(_ text: String) -> Date { DateText.parseDay(text, in: utc)! }

    func testEachHourIsPricedAtThePriceInForceThen() throws {
        let buckets = Buckets(period: try Period.parse("2026-10", in: utc))
        let book = PriceBook(
            currency: "USD",
            models: [
                ModelPricing(
                    match: Glob("m*"),
                    prices: [
                        PricePoint(from: day("2026-01-01"), input: 1, output: 2, cacheRead: nil, cacheWrite: nil),
                        PricePoint(from: day("2026-10-15"), input: 3, output: 4, cacheRead: nil, cacheWrite: nil),
                    ])
            ], unpriced: .error)
        let key = UsageKey(gateway: "g", model: "m1", tokenType: "input", system: "anthropic")
        var hours = [Int64](repeating: 0, count: buckets.hourCount)
        for day in buckets.days { hours[day.hours.lowerBound] = 1_000_000 }  // one million input tokens a day
        let lines = try Pricing.price(
            usage: [key: hours], buckets: buckets, book: book, metrics: MetricSettings(),
            dimensions: dimensions, pricingFile: "pricing.yaml"
        ).lines
        let perDay = buckets.days.map { day in day.hours.reduce(Decimal(0)) { $0 + lines[0].hourlyCost[$1] } }
        XCTAssertEqual(perDay[0..<14].map { $0 }, Array(repeating: Decimal(1), count: 14), "1st–14th at the old price")
        XCTAssertEqual(
            perDay[14...].map { $0 }, Array(repeating: Decimal(3), count: 17), "15th onwards at the new price")
        XCTAssertEqual(lines[0].cost, 14 * 1 + 17 * 3)
    }

    func testCacheTokensAreSubtractedOnlyWhereInputIncludesThem() throws {
        let buckets = Buckets(period: try Period.parse("2026-10-01", in: utc))
        let prices = [
            PricePoint(
                from: day("2026-01-01"), input: Decimal(string: "2.50")!, output: 10,
                cacheRead: Decimal(string: "1.25")!, cacheWrite: Decimal(string: "3.75")!)
        ]
        let book = PriceBook(
            currency: "USD", models: [ModelPricing(match: Glob("*"), prices: prices)], unpriced: .error)
        var metrics = MetricSettings()
        metrics.inputIncludesCache = CacheRules([
            CacheRule(match: ["system": Glob("anthropic")], includes: false, origin: "chargeback.yaml:3"),
            CacheRule(match: ["system": Glob("openai")], includes: true, origin: "chargeback.yaml:4"),
        ])
        func usage(_ system: String, _ type: String, _ tokens: Int64) -> (UsageKey, [Int64]) {
            var hours = [Int64](repeating: 0, count: buckets.hourCount)
            hours[3] = tokens
            return (UsageKey(gateway: "g", model: "m", tokenType: type, system: system), hours)
        }
        let usageTable = Dictionary(uniqueKeysWithValues: [
            usage("openai", "input", 1_000_000), usage("openai", "input_cache_read", 400_000),
            usage("anthropic", "input", 1_000_000), usage("anthropic", "input_cache_read", 400_000),
            usage("anthropic", "input_cache_write", 200_000),
        ])
        let lines = try Pricing.price(
            usage: usageTable, buckets: buckets, book: book, metrics: metrics,
            dimensions: dimensions, pricingFile: "pricing.yaml"
        ).lines
        let cost = Dictionary(uniqueKeysWithValues: lines.map { ("\($0.key.system)/\($0.key.tokenType)", $0.cost) })
        // OpenAI: (1,000,000 − 400,000) × 2.50 + 400,000 × 1.25 = 1.50 + 0.50.
        XCTAssertEqual(cost["openai/input"], Decimal(string: "1.5"))
        XCTAssertEqual(cost["openai/input_cache_read"], Decimal(string: "0.5"))
        // Anthropic: input excludes cache: 2.50 + 0.50 + 0.75.
        XCTAssertEqual(cost["anthropic/input"], Decimal(string: "2.5"))
        XCTAssertEqual(cost["anthropic/input_cache_read"], Decimal(string: "0.5"))
        XCTAssertEqual(cost["anthropic/input_cache_write"], Decimal(string: "0.75"))
        XCTAssertEqual(lines.reduce(Decimal(0)) { $0 + $1.cost }, Decimal(string: "5.75"))
        // Tokens stay as measured.
        XCTAssertEqual(lines.first { $0.key.system == "openai" && $0.key.tokenType == "input" }?.tokens, 1_000_000)
    }

    func testUnpricedUsageIsAnErrorOrAWarning() throws {
        let buckets = Buckets(period: try Period.parse("2026-10-01", in: utc))
        var hours = [Int64](repeating: 0, count: buckets.hourCount)
        hours[0] = 5
        let usage = [UsageKey(gateway: "g", model: "mystery", tokenType: "output", system: "x"): hours]
        let strict = PriceBook(currency: "USD", models: [], unpriced: .error)
        XCTAssertThrowsError(
            try Pricing.price(
                usage: usage, buckets: buckets, book: strict, metrics: MetricSettings(),
                dimensions: dimensions, pricingFile: "pricing.yaml")
        ) { error in
            XCTAssertTrue((error as? InputError)?.message.contains("mystery") == true)
        }
        let lenient = PriceBook(currency: "USD", models: [], unpriced: .warn)
        let priced = try Pricing.price(
            usage: usage, buckets: buckets, book: lenient, metrics: MetricSettings(),
            dimensions: dimensions, pricingFile: "pricing.yaml")
        let (lines, diagnostics) = (priced.lines, priced.diagnostics)
        XCTAssertEqual(lines[0].cost, 0)
        XCTAssertTrue(lines[0].unpriced)
        XCTAssertTrue(diagnostics.contains { $0.message.contains("mystery") })
    }
}
