import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// Volume, price and mix effects: each change split so the three add up to it to the cent, and
/// each effect where it belongs (a price change is price, a model switch is mix, more tokens volume).
final class ChangeEffectsTests: XCTestCase {
    typealias Entry = (gateway: String, model: String, type: String, perHour: Int64)
    let utc = TimeZone(identifier: "UTC")!
    let gateway = "gw1"

    /// Prices: cheap-model 1/4 throughout; dear-model 3/15, then 2/10 from October; per million.
    var book: PriceBook {
        let day = { (text: String) in DateText.parseDay(text, in: TimeZone(identifier: "UTC")!)! }
        return PriceBook(
            currency: "USD",
            models: [
                ModelPricing(
                    match: Glob("cheap-model"),
                    prices: [
                        PricePoint(
                            from: day("2026-01-01"), input: 1, output: 4,
                            cacheRead: nil, cacheWrite: nil)
                    ]),
                ModelPricing(
                    match: Glob("dear-model"),
                    prices: [
                        PricePoint(from: day("2026-01-01"), input: 3, output: 15, cacheRead: nil, cacheWrite: nil),
                        PricePoint(from: day("2026-10-01"), input: 2, output: 10, cacheRead: nil, cacheWrite: nil),
                    ]),
            ], unpriced: .error)
    }

    var teams: TeamBook {
        TeamBook(
            teams: [Team(name: "Search"), Team(name: "Research")],
            rules: [
                TeamRule(match: ["gateway": Glob("gw1")], action: .team("Search"), origin: "teams.yaml:3"),
                TeamRule(
                    match: ["gateway": Glob("gw2")],
                    action: .split([("Search", Decimal(30)), ("Research", Decimal(70))]),
                    origin: "teams.yaml:5"),
            ], unallocated: .report)
    }

    /// The figures of `period` with `tokens(key, hour)` tokens per hour.
    func figures(_ period: Period, _ usage: [Entry]) throws
        -> PeriodFigures
    {
        let buckets = Buckets(period: period)
        var hourly: [UsageKey: [Int64]] = [:]
        for entry in usage {
            let key = UsageKey(gateway: entry.gateway, model: entry.model, tokenType: entry.type, system: "anthropic")
            hourly[key] = (0..<buckets.hourCount).map { entry.perHour + Int64($0 % 7) * entry.perHour / 10 }
        }
        let priced = try Pricing.price(
            usage: hourly, buckets: buckets, book: book, metrics: MetricSettings(),
            dimensions: UsageDimensions(labels: LabelNames(), extraLabels: []), pricingFile: "pricing.yaml")
        let allocation = try Allocator.allocate(
            lines: priced.lines, book: teams,
            dimensions: UsageDimensions(labels: LabelNames(), extraLabels: []),
            teamsFile: "teams.yaml", buckets: buckets.ledgerBuckets(hourly: false))
        return PeriodFigures(lines: priced.lines, allocation: allocation)
    }

    func compare(
        _ before: [Entry], _ now: [Entry],
        months: (String, String) = ("2026-09", "2026-10")
    ) throws -> Comparison {
        let previous = try Period.parse(months.0, in: utc)
        let current = try Period.parse(months.1, in: utc)
        XCTAssertEqual(current.previous, previous)
        return Compare.compare(
            current: try figures(current, now), previous: try figures(previous, before),
            previousPeriod: previous)
    }

    func assertAddsUp(_ comparison: Comparison, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(comparison.rows.isEmpty, file: file, line: line)
        for row in comparison.rows {
            XCTAssertEqual(
                row.volume + row.price + row.mix, row.change, "\(row.scope) \(row.name)", file: file, line: line)
            for effect in [row.volume, row.price, row.mix] {
                XCTAssertEqual(Money.round(effect), effect, "whole cents", file: file, line: line)
            }
        }
    }

    func testAPriceChangeWithTheSameTokensIsAPurePriceEffect() throws {
        // The same hourly tokens in September and October (30 vs 31 days would be volume, so
        // compare two 30-day stretches: the dear model's price drops on October 1st).
        let usage: [Entry] = [
            (gateway, "dear-model", "input", Int64(50_000)), (gateway, "dear-model", "output", Int64(9_000)),
        ]
        let september = try Period.range(from: "2026-09-01", to: "2026-10-01", in: utc)
        let october = try Period.range(from: "2026-10-01", to: "2026-10-31", in: utc)
        XCTAssertEqual(october.previous.start, september.start)
        let comparison = Compare.compare(
            current: try figures(october, usage), previous: try figures(september, usage),
            previousPeriod: september)
        assertAddsUp(comparison)
        let total = try XCTUnwrap(comparison.total)
        XCTAssertLessThan(total.change, -50, "a third off the dear model's price")
        XCTAssertEqual(total.volume, 0)
        XCTAssertEqual(total.mix, 0)
        XCTAssertEqual(total.price, total.change)
        let search = try XCTUnwrap(comparison.rows(.team).first { $0.name == "Search" })
        XCTAssertEqual(search.price, search.change)
        XCTAssertTrue(search.sentence(in: .usd).hasPrefix("Search −$"), search.sentence(in: .usd))
        XCTAssertTrue(search.sentence(in: .usd).contains(" price; most on dear-model"), search.sentence(in: .usd))
    }

    func testAModelSwitchWithTheSameTokensIsAMixEffect() throws {
        // September: the cheap model; October: the same tokens on the dear model (after its price
        // change, so no item has a price change: the two months share no item at all).
        let september = try Period.range(from: "2026-09-01", to: "2026-10-01", in: utc)
        let october = try Period.range(from: "2026-10-01", to: "2026-10-31", in: utc)
        let before: [Entry] = [(gateway, "cheap-model", "input", Int64(80_000))]
        let now: [Entry] = [(gateway, "dear-model", "input", Int64(80_000))]
        let comparison = Compare.compare(
            current: try figures(october, now), previous: try figures(september, before),
            previousPeriod: september)
        assertAddsUp(comparison)
        let total = try XCTUnwrap(comparison.total)
        XCTAssertGreaterThan(total.change, 50)
        XCTAssertEqual(total.volume, 0)
        XCTAssertEqual(total.price, 0)
        XCTAssertEqual(total.mix, total.change)
        // Per model, the switch is a model that went away and one that came: all volume.
        let cheap = try XCTUnwrap(comparison.rows(.model).first { $0.name == "cheap-model" })
        XCTAssertEqual(cheap.cost, 0)
        XCTAssertEqual(cheap.volume, -cheap.previousCost)
        let dear = try XCTUnwrap(comparison.rows(.model).first { $0.name == "dear-model" })
        XCTAssertNil(dear.changePercent)
        XCTAssertTrue(dear.sentence(in: .usd).contains("(new)"), dear.sentence(in: .usd))
    }

    func testMoreTokensAtTheSamePricesAndMixIsAPureVolumeEffect() throws {
        let before: [Entry] = [
            ("gw2", "cheap-model", "input", Int64(40_000)), ("gw2", "cheap-model", "output", Int64(4_000)),
        ]
        let now: [Entry] = [
            ("gw2", "cheap-model", "input", Int64(60_000)), ("gw2", "cheap-model", "output", Int64(6_000)),
        ]
        let comparison = try compare(before, now, months: ("2026-07", "2026-08"))
        assertAddsUp(comparison)
        let total = try XCTUnwrap(comparison.total)
        XCTAssertEqual(total.price, 0)
        // Both months have 31 days and the same hourly shape, so the mix is the same to the token
        // ratio; what is left of the mix is at most the cents the rounding moves.
        XCTAssertLessThanOrEqual(total.mix.magnitude, Decimal(string: "0.02")!)
        XCTAssertEqual(total.changePercent, 50)
        for team in comparison.rows(.team) { XCTAssertEqual(team.price, 0, team.name) }
    }

    /// Random usage, prices and teams in both periods: every row's effects add up to its change,
    /// and the rows' cents are the ledgers' (the teams add up to the total, in both periods).
    func testEffectsAlwaysAddUpToTheChange() throws {
        var random = SeededRandom(state: 14)
        let models = ["cheap-model", "dear-model"]
        let types = ["input", "output"]
        let gateways = ["gw1", "gw2", "gw3"]
        for _ in 0..<12 {
            func usage() -> [Entry] {
                var entries: [Entry] = []
                for gateway in gateways {
                    for model in models {
                        for type in types where random.int(0...2) > 0 {
                            entries.append((gateway, model, type, Int64(random.int(1...90_000))))
                        }
                    }
                }
                return entries
            }
            let comparison = try compare(usage(), usage())
            assertAddsUp(comparison)
            let total = try XCTUnwrap(comparison.total)
            let teams = comparison.rows(.team)
            XCTAssertEqual(teams.reduce(Decimal(0)) { $0 + $1.cost }, total.cost)
            XCTAssertEqual(teams.reduce(Decimal(0)) { $0 + $1.previousCost }, total.previousCost)
            XCTAssertEqual(comparison.rows(.gateway).reduce(Decimal(0)) { $0 + $1.cost }, total.cost)
            XCTAssertEqual(comparison.rows(.model).reduce(Decimal(0)) { $0 + $1.previousCost }, total.previousCost)
        }
    }

    /// A team's view compares only its share: its total is the full comparison's row of that team
    /// (the same cents and effects), and its gateways and models add up to it, both periods.
    func testATeamsComparisonIsItsShareOfTheFullOne() throws {
        let before: [Entry] = [
            ("gw1", "cheap-model", "input", Int64(30_000)), ("gw2", "dear-model", "input", Int64(20_000)),
            ("gw2", "dear-model", "output", Int64(3_000)),
        ]
        let now: [Entry] = [
            ("gw1", "dear-model", "input", Int64(25_000)), ("gw2", "dear-model", "input", Int64(35_000)),
            ("gw2", "cheap-model", "output", Int64(5_000)),
        ]
        let comparison = try compare(before, now)
        for team in ["Search", "Research"] {
            let full = try XCTUnwrap(comparison.rows(.team).first { $0.name == team })
            let scoped = comparison.scoped(toTeam: team)
            assertAddsUp(scoped)
            let total = try XCTUnwrap(scoped.total)
            XCTAssertEqual(
                [total.cost, total.previousCost, total.volume, total.price, total.mix],
                [full.cost, full.previousCost, full.volume, full.price, full.mix], team)
            XCTAssertEqual(scoped.rows(.team).count, 0, "the total is the team's")
            XCTAssertEqual(scoped.rows(.gateway).reduce(Decimal(0)) { $0 + $1.cost }, total.cost, team)
            XCTAssertEqual(scoped.rows(.model).reduce(Decimal(0)) { $0 + $1.previousCost }, total.previousCost, team)
        }
        // Research has no share of gw1 (all Search's), so its view names no gw1.
        XCTAssertEqual(comparison.scoped(toTeam: "Research").rows(.gateway).map(\.name), ["gw2"])
        let searchGW2 = try XCTUnwrap(comparison.scoped(toTeam: "Search").rows(.gateway).first { $0.name == "gw2" })
        let fullGW2 = try XCTUnwrap(comparison.rows(.gateway).first { $0.name == "gw2" })
        XCTAssertLessThan(searchGW2.cost, fullGW2.cost, "Search pays 30 % of gw2")
        XCTAssertGreaterThan(searchGW2.cost, 0)
    }
}
