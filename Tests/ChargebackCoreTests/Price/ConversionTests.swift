import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// Prices in one currency, a report in another: converted once, exactly, then rounded to the
/// report currency's minor unit by the ledger, the cents (or yen) adding up both ways.
final class ConversionTests: XCTestCase {
    let utc = TimeZone(identifier: "UTC")!
    let dimensions = UsageDimensions(labels: LabelNames(), extraLabels: [])

    func conversion(_ to: String, _ rate: String) -> Conversion {
        Conversion(
            from: "USD", to: to, rate: Decimal(string: rate)!, date: "2026-10-01", origin: "chargeback.yaml:6",
            minorUnits: CurrencyCodes.minorUnit(to)!)
    }

    func priced(_ conversion: Conversion?) throws -> (lines: [CostLine], buckets: Buckets) {
        let buckets = Buckets(period: try Period.parse("2026-10-01", in: utc))
        let book = PriceBook(
            currency: "USD",
            models: [
                ModelPricing(
                    match: Glob("m*"),
                    prices: [
                        PricePoint(
                            from: DateText.parseDay("2026-01-01", in: utc)!, input: 3, output: 15, cacheRead: nil,
                            cacheWrite: nil)
                    ])
            ], unpriced: .error)
        var usage: [UsageKey: [Int64]] = [:]
        for (index, model) in ["m1", "m2", "m3"].enumerated() {
            for type in ["input", "output"] {
                var hours = [Int64](repeating: 0, count: buckets.hourCount)
                for hour in hours.indices { hours[hour] = Int64(10_007 * (hour + 1) + 333 * index) }
                usage[UsageKey(gateway: "g", model: model, tokenType: type, system: "anthropic")] = hours
            }
        }
        let lines = try Pricing.price(
            usage: usage, buckets: buckets, book: book, metrics: MetricSettings(), dimensions: dimensions,
            pricingFile: "pricing.yaml", conversion: conversion
        ).lines
        return (lines, buckets)
    }

    func testCostsAndPricesAreConvertedExactlyBeforeRounding() throws {
        let usd = try priced(nil).lines
        let eur = try priced(conversion("EUR", "0.92")).lines
        for (dollars, euros) in zip(usd, eur) {
            XCTAssertEqual(euros.cost, dollars.cost * Decimal(string: "0.92")!, "\(dollars.key)")
            XCTAssertEqual(
                euros.stretches.map(\.perMillion),
                dollars.stretches.map { $0.perMillion.map { $0 * Decimal(string: "0.92")! } })
        }
        // 3 USD per million input tokens is 2.76 EUR, and 2.76 / 0.92 gives the book's 3 back exactly.
        XCTAssertEqual(eur[0].stretches[0].perMillion, Decimal(string: "2.76"))
        XCTAssertEqual(Decimal(string: "2.76")! / Decimal(string: "0.92")!, 3)
    }

    /// Yen have no decimals: every cell, row, team and the total are whole yen, adding up both ways.
    func testTheLedgerRoundsToTheMinorUnit() throws {
        for (currency, rate, step) in [
            ("JPY", "151.37", Decimal(1)), ("EUR", "0.92", Decimal(string: "0.01")!),
            ("KWD", "0.3071", Decimal(string: "0.001")!),
        ] {
            let conversion = conversion(currency, rate)
            let (lines, buckets) = try priced(conversion)
            let book = TeamBook(
                teams: [Team(name: "A"), Team(name: "B"), Team(name: "C")],
                rules: [
                    TeamRule(match: [:], action: .split([("A", 50), ("B", 30), ("C", 20)]), origin: "teams.yaml:3")
                ],
                unallocated: .report)
            let allocation = try Allocator.allocate(
                lines: lines, book: book, dimensions: dimensions, teamsFile: "teams.yaml",
                buckets: buckets.ledgerBuckets(hourly: false), minorUnits: conversion.minorUnits)
            let exact = lines.reduce(Decimal(0)) { $0 + $1.cost }
            XCTAssertEqual(allocation.roundedTotal, Money.round(exact, scale: conversion.minorUnits), currency)
            XCTAssertNotEqual(allocation.roundedTotal, Money.round(exact, scale: conversion.minorUnits + 1), currency)
            func whole(_ amount: Decimal) -> Bool { Money.round(amount / step, scale: 0) == amount / step }
            XCTAssertTrue(allocation.rows.allSatisfy { whole($0.cost) }, currency)
            XCTAssertTrue(allocation.ledger.cells.allSatisfy { whole($0.cost) }, currency)
            XCTAssertEqual(allocation.rows.reduce(Decimal(0)) { $0 + $1.cost }, allocation.roundedTotal, currency)
            XCTAssertEqual(
                allocation.ledger.cells.reduce(Decimal(0)) { $0 + $1.cost }, allocation.roundedTotal, currency)
            XCTAssertEqual(
                allocation.teamOrder.reduce(Decimal(0)) { $0 + allocation.cost(of: $1) }, allocation.roundedTotal,
                currency)
            for line in allocation.ledger.lines {
                XCTAssertLessThanOrEqual(abs(Money.double(line.cost - line.exactCost)), Money.double(step), currency)
            }
        }
    }

    /// A fixed amount in the book's currency is converted, then prorated and split in yen.
    func testFixedAmountsAreConvertedAndSplitInTheMinorUnit() throws {
        let conversion = conversion("JPY", "151.37")
        let (lines, buckets) = try priced(conversion)
        let book = TeamBook(
            teams: [Team(name: "A"), Team(name: "B"), Team(name: "C")],
            rules: [TeamRule(match: [:], action: .split([("A", 50), ("B", 30), ("C", 20)]), origin: "teams.yaml:3")],
            unallocated: .report)
        let allocation = try Allocator.allocate(
            lines: lines, book: book, dimensions: dimensions, teamsFile: "teams.yaml",
            buckets: buckets.ledgerBuckets(hourly: false), minorUnits: 0)
        let terms = try FuzzEntryPoints.parsePriceBook(
            Array(
                "models: []\nadjustments:\n  fixed: [ { name: Fee, amount: 100, from: 2026-01-01, allocate: even } ]\n"
                    .utf8)
        ).adjustments
        let ledger = Adjusting.ledger(
            lines: lines, allocation: allocation, terms: terms, buckets: buckets, dimensions: dimensions,
            bookTeams: ["A", "B", "C"], conversion: conversion)
        let fee = try XCTUnwrap(ledger.lines.first)
        // 100 USD a month for 1 of October's 31 days, at 151.37 yen: 488.29… → 488 yen, split 163/163/162.
        XCTAssertEqual(fee.cents, 488)
        XCTAssertEqual(fee.teamCents.sorted(), [162, 163, 163])
        XCTAssertTrue(fee.basis.contains("USD at 151.37 JPY"), fee.basis)
    }
}
