import ChargebackCore
import Foundation
import Logging
import TestSupport
import XCTest

/// October against September on the sample history: the previous period measured exactly like
/// the report's own, and the three effects adding up to each change to the cent.
final class ComparisonTests: XCTestCase {
    let utc = TimeZone(identifier: "UTC")!

    /// The sample's report of `period` with the comparison, from the shared Prometheus.
    func report(
        _ period: String, configure: (inout ChargebackConfig) -> Void = { _ in },
        progress: (@Sendable (FetchProgress) -> Void)? = nil, trend: Int = 0
    ) async throws -> Report {
        let world = try SampleWorld.get()
        var config = try ConfigLoader.load(
            path: PackagePaths.root.appendingPathComponent("Samples/chargeback.yaml").path)
        config.prometheus.url = try PrometheusURLRules.parse(world.url)
        configure(&config)
        var request = ReportRequest(
            period: try Period.parse(period, in: utc), formats: [], hourly: false,
            outputDirectory: FileManager.default.temporaryDirectory, commandLine: [],
            now: BackendReport.now)
        request.compare = true
        request.trend = trend
        let logger = Logger(label: "test")
        return try await PrometheusClient.using(settings: config.prometheus, logger: logger) { client in
            try await ReportPipeline(config: config, client: client, logger: logger, progress: progress)
                .buildReport(request)
        }
    }

    /// A comparison and a trend in Kuwaiti dinars (three decimals, 1 USD = 0.307 KWD) are in
    /// dinars: the previous period's figures are September's own report in dinars to the fils, and
    /// the trend's points are the months' totals.
    func testAComparisonAndATrendInAThreeDecimalCurrencyAreInThatCurrency() async throws {
        let rate = Decimal(string: "0.307")!
        let dinars = { (config: inout ChargebackConfig) in
            config.currency = CurrencySettings(
                currency: "KWD",
                rates: [ExchangeRate(from: "USD", to: "KWD", rate: rate, date: "2026-01-01", origin: "t:1")])
        }
        let october = try await report("2026-10", configure: dinars, trend: 1)
        XCTAssertEqual(october.conversion.minorUnits, 3)
        let september = try await BackendReport.build(
            url: try SampleWorld.get().url, period: "2026-09", configure: dinars)
        let dollars = try await BackendReport.build(url: try SampleWorld.get().url, period: "2026-09")
        let total = try XCTUnwrap(october.comparison?.total)
        XCTAssertEqual(total.cost, october.roundedTotal)
        XCTAssertEqual(total.previousCost, september.roundedTotal)
        // Each total within half its own minor unit of the exact one: 0.0005 KWD and 0.005 USD × 0.307.
        XCTAssertLessThanOrEqual(abs(september.roundedTotal - dollars.roundedTotal * rate), Decimal(string: "0.002")!)
        XCTAssertTrue(
            september.byTeam.contains { Money.round($0.cost, scale: 2) != $0.cost }, "amounts to the fils, not cents")
        let points = try XCTUnwrap(october.trend?.points)
        XCTAssertEqual(points.map(\.period.label), ["2026-09", "2026-10"])
        XCTAssertEqual(points.map(\.cost), [september.roundedTotal, october.roundedTotal])
    }

    /// The progress of a compared month names its two phases (fetched side by side, so their
    /// events interleave), and within each the count of queries done only grows, never past the
    /// total planned so far.
    func testTheProgressNamesEachPhaseAndNeverGoesBack() async throws {
        let events = LockedEvents()
        _ = try await report("2026-10", progress: { events.append($0) })
        let all = events.all
        let phases = Set(all.map(\.phase)).sorted()
        XCTAssertEqual(phases, ["2026-09 (the previous period)", "2026-10 (this period)"])
        for phase in phases {
            let mine = all.filter { $0.phase == phase }
            XCTAssertEqual(mine.map(\.done), Array(1...mine.count), phase)
            XCTAssertTrue(mine.allSatisfy { $0.done <= $0.total }, phase)
            XCTAssertEqual(mine.map(\.total), mine.map(\.total).sorted(), "\(phase): the total only grows")
            XCTAssertEqual(mine.last?.done, mine.last?.total, "\(phase) ends complete")
        }
    }

    func testOctoberAgainstSeptemberAddsUpToTheCent() async throws {
        let october = try await report("2026-10")
        let comparison = try XCTUnwrap(october.comparison)
        XCTAssertEqual(comparison.previous.label, "2026-09")
        XCTAssertNil(comparison.unavailable)
        // The history starts on 26 September: the comparison says from when September is measured.
        XCTAssertEqual(comparison.previousDataStart.map { DateText.day($0, in: utc) }, "2026-09-26")
        let total = try XCTUnwrap(comparison.total)
        XCTAssertEqual(total.cost, october.roundedTotal)
        for row in comparison.rows {
            XCTAssertEqual(row.volume + row.price + row.mix, row.change, "\(row.scope) \(row.name)")
            XCTAssertEqual(row.price, 0, "the sample's prices do not change between the months: \(row.name)")
        }
        for team in october.byTeam {
            XCTAssertEqual(comparison.rows(.team).first { $0.name == team.name }?.cost, team.cost, team.name)
        }
        // September as a report of its own has the same cents the comparison used.
        let september = try await BackendReport.build(url: try SampleWorld.get().url, period: "2026-09")
        XCTAssertGreaterThan(september.roundedTotal, 0)
        XCTAssertEqual(total.previousCost, september.roundedTotal)
        for team in september.byTeam {
            XCTAssertEqual(comparison.rows(.team).first { $0.name == team.name }?.previousCost, team.cost, team.name)
        }
    }

    /// A price cut of a third on sonnet from October: on every sonnet key used in both months the
    /// price effect is its October cost at the new prices less the same tokens at the old ones,
    /// −½ × its October cost; the other models have none.
    func testAPriceCutOnTheSampleIsAPriceEffect() async throws {
        let cutSonnet = { (config: inout ChargebackConfig) in
            let book = config.pricing
            let cut = book.models.map { entry -> ModelPricing in
                guard entry.match.matches("claude-sonnet-4-5-20250929"), let old = entry.prices.last else {
                    return entry
                }
                let third = { (value: Decimal?) in value.map { $0 * 2 / 3 } }
                return ModelPricing(
                    match: entry.match,
                    prices: entry.prices + [
                        PricePoint(
                            from: DateText.parseDay("2026-10-01", in: TimeZone(identifier: "UTC")!)!,
                            input: third(old.input), output: third(old.output), cacheRead: third(old.cacheRead),
                            cacheWrite: third(old.cacheWrite))
                    ])
            }
            config.pricing = PriceBook(currency: book.currency, models: cut, unpriced: book.unpriced)
        }
        let october = try await report("2026-10", configure: cutSonnet)
        let september = try await BackendReport.build(
            url: try SampleWorld.get().url, period: "2026-09",
            configure: cutSonnet)
        let usedBefore = Set(september.lines.filter { $0.billableTokens > 0 }.map(\.key))
        let sonnetCost = october.lines.filter { $0.key.model.hasPrefix("claude-sonnet") && usedBefore.contains($0.key) }
            .reduce(Decimal(0)) { $0 + $1.cost }
        XCTAssertGreaterThan(sonnetCost, 10)
        let comparison = try XCTUnwrap(october.comparison)
        let sonnet = try XCTUnwrap(comparison.rows(.model).first { $0.name.hasPrefix("claude-sonnet") })
        XCTAssertEqual(sonnet.volume + sonnet.price + sonnet.mix, sonnet.change)
        let expected = Money.round(-sonnetCost / 2)
        XCTAssertLessThanOrEqual(
            (sonnet.price - expected).magnitude, Decimal(string: "0.02")!,
            "price \(sonnet.price), expected \(expected)")
        for model in comparison.rows(.model) where !model.name.hasPrefix("claude-sonnet") {
            XCTAssertEqual(model.price, 0, model.name)
        }
    }

    /// A day before the history has no data: the report says so rather than compare with zero.
    func testAPreviousPeriodBeforeTheDataIsNotComparedWithZero() async throws {
        let first = try await report("2026-09-26")
        let comparison = try XCTUnwrap(first.comparison)
        XCTAssertEqual(comparison.previous.label, "2026-09-25")
        XCTAssertTrue(comparison.rows.isEmpty)
        XCTAssertTrue(comparison.unavailable?.contains("has no data") == true, comparison.unavailable ?? "nil")
    }
}

/// The command line with the new options: a partial October as of the 15th with its forecast,
/// trend and a breakdown by pod, each in the Markdown, the workbook and its CSV.
final class ChangeCommandLineTests: XCTestCase {
    /// A temporary output folder, removed after the test.
    func outputFolder() -> URL {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("cb-change-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: output) }
        return output
    }

    /// `chargeback report --config Samples/chargeback.yaml --period 2026-10 ARGUMENTS` into `output`
    /// against the sample history's Prometheus; fails the test unless it exits 0.
    func report(_ arguments: [String], into output: URL) throws {
        let world = try SampleWorld.get()
        let run = try SampleWorld.execute(
            SampleWorld.buildFolder.appendingPathComponent("chargeback").path,
            [
                "report", "--config", PackagePaths.root.appendingPathComponent("Samples/chargeback.yaml").path,
                "--period", "2026-10", "--prometheus-url", world.url, "--output", output.path,
            ] + arguments, environment: [:])
        XCTAssertEqual(run.status, 0, run.stderr)
    }

    func testAsOfTrendAndGroupByWriteTheirFiles() throws {
        let output = outputFolder()
        try report(
            ["--as-of", "2026-10-15T00:00:00Z", "--trend", "2", "--group-by", "pod", "--split-by", "team"],
            into: output)
        func text(_ name: String) throws -> String {
            try String(contentsOf: output.appendingPathComponent("chargeback-2026-10\(name)"), encoding: .utf8)
        }
        let forecast = try CSVParser.rows(try text("-forecast.csv"))
        XCTAssertEqual(
            forecast.first,
            [
                "scope", "name", "cost_so_far", "forecast", "forecast_low", "forecast_high",
                "budget", "budget_crossed_on",
            ])
        let total = try XCTUnwrap(forecast.first { $0.first == "total" })
        let soFar = try XCTUnwrap(Decimal(string: total[2]))
        let projected = try XCTUnwrap(Decimal(string: total[3]))
        XCTAssertGreaterThan(projected, soFar)
        let markdown = try text(".md")
        XCTAssertTrue(markdown.contains("## Forecast"))
        XCTAssertTrue(markdown.contains(Currency.usd.format(projected)))
        XCTAssertTrue(markdown.contains(ForecastBacktest.sentence), "the backtest error in the method")
        for row in forecast.dropFirst() where !row[7].isEmpty {
            XCTAssertTrue(markdown.contains("| \(row[7]) |"), "budget date \(row[7]) in the Markdown")
        }
        // The trend: September (measured from the 26th) and August (before the data: no rows).
        let trend = try CSVParser.rows(try text("-trend.csv"))
        XCTAssertEqual(trend.first, ["period", "team", "cost", "tokens"])
        XCTAssertEqual(Set(trend.dropFirst().map { $0[0] }), ["2026-09", "2026-10"])
        XCTAssertTrue(markdown.contains("| 2026-08 |"), markdown)
        // By pod: the cents add up to the teams' total.
        let pods = try CSVParser.rows(try text("-by-pod.csv"))
        XCTAssertEqual(pods.first, ["label", "value", "tokens", "billable_tokens", "cost_usd"])
        let teams = try CSVParser.rows(try text("-teams.csv"))
        let podCents = pods.dropFirst().compactMap { Decimal(string: $0[4]) }.reduce(0, +)
        let teamCents = teams.dropFirst().compactMap { Decimal(string: $0[8]) }.reduce(0, +)
        XCTAssertGreaterThan(pods.count, 3)
        XCTAssertEqual(podCents, teamCents)
        let sheets = try WorkbookCells.sheets(of: output.appendingPathComponent("chargeback-2026-10.xlsx"))
        for sheet in ["Changes", "Forecast", "By pod", "Trend"] { XCTAssertNotNil(sheets[sheet], sheet) }
        XCTAssertEqual(Double(sheets["Forecast"]?[1][3] ?? "") ?? .nan, Money.double(projected), accuracy: 0.000_1)
        // Each team's pack projects the team's own share: its forecast.csv row as the pack's total.
        for row in forecast.dropFirst() where row[0] == "team" && row[1] != "Unallocated" {
            let pack = output.appendingPathComponent("teams/\(row[1])/chargeback-2026-10-\(row[1])")
            let teamMarkdown = try String(contentsOf: pack.appendingPathExtension("md"), encoding: .utf8)
            let teamForecast = try XCTUnwrap(Decimal(string: row[3]))
            XCTAssertTrue(
                teamMarkdown.contains("**\(Currency.usd.format(teamForecast))**"), "\(row[1])'s projection in its pack")
            XCTAssertFalse(teamMarkdown.contains("**\(Currency.usd.format(projected))**"), "not the organisation's")
            XCTAssertTrue(teamMarkdown.contains("| Period | \(row[1]) | Total |"), "the trend of the team only")
            let teamSheets = try WorkbookCells.sheets(of: pack.appendingPathExtension("xlsx"))
            XCTAssertEqual(
                Double(teamSheets["Forecast"]?[1][3] ?? "") ?? .nan, Money.double(teamForecast), accuracy: 0.000_1)
            XCTAssertNotNil(teamSheets["Trend"], row[1])
        }
    }

    /// `--split-by team` with the comparison: each team's pack says what changed for the team, the
    /// same cents and effects as the team's row of the organisation's changes.csv.
    func testTeamPacksShowTheTeamsOwnChange() throws {
        let output = outputFolder()
        try report(["--split-by", "team", "--format", "csv,markdown"], into: output)
        let changes = try CSVParser.rows(
            try String(contentsOf: output.appendingPathComponent("chargeback-2026-10-changes.csv"), encoding: .utf8))
        let teams = changes.filter { $0.first == "team" && $0[1] != "Unallocated" }
        XCTAssertGreaterThanOrEqual(teams.count, 2)
        for row in teams {
            let name = row[1]
            let markdown = try String(
                contentsOf: output.appendingPathComponent("teams/\(name)/chargeback-2026-10-\(name).md"),
                encoding: .utf8)
            XCTAssertTrue(markdown.contains("## What changed"), name)
            // cost, previous, change, volume, price, mix as the Markdown writes them.
            let money = [2, 3].map { Currency.usd.format(Decimal(string: row[$0])!) }
            let signed = [4, 6, 7, 8].map { ChangeRow.signed(Decimal(string: row[$0])!, in: .usd) }
            let cells = "| \(money[0]) | \(money[1]) | \(signed[0]) | "
            XCTAssertTrue(markdown.contains("| total | Total \(cells)"), "\(name): its total is its change")
            XCTAssertTrue(markdown.contains(" | \(signed[1]) | \(signed[2]) | \(signed[3]) |"), "\(name)'s effects")
            XCTAssertFalse(markdown.contains("| team | "), "\(name)'s pack has no team rows: its total is the team's")
        }
    }
}

/// Progress events as a fetch reports them, from any thread.
final class LockedEvents: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [FetchProgress] = []
    func append(_ event: FetchProgress) { lock.withLock { events.append(event) } }
    var all: [FetchProgress] { lock.withLock { events } }
}
