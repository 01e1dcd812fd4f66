import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// One status rule in every file: the cents shown, `≥` reaches a limit ("reached" when equal),
/// a warning from 80 %; and budgets prorated month by month.
final class StatusTests: XCTestCase {
    func testTheRuleAtItsEdges() {
        let budget = Decimal(string: "323.05")!
        XCTAssertEqual(LimitStatus(cents: budget, limit: budget), .exceeded)
        XCTAssertEqual(LimitStatus.verb(cents: budget, limit: budget), "reached")
        XCTAssertEqual(LimitStatus.verb(cents: budget + Decimal(string: "0.01")!, limit: budget), "is over")
        XCTAssertEqual(LimitStatus(cents: budget - Decimal(string: "0.01")!, limit: budget), .warning)
        XCTAssertEqual(LimitStatus(cents: 80, limit: 100), .warning)
        XCTAssertEqual(LimitStatus(cents: Decimal(string: "79.99")!, limit: 100), .ok)
        XCTAssertEqual(LimitStatus(cents: 5, limit: nil), .ok)
        XCTAssertEqual(LimitStatus(cents: Decimal(string: "0.01")!, limit: 0), .exceeded)
        XCTAssertEqual(LimitStatus(cents: 0, limit: 0), .ok)
        // The share shown is cut, so 79.99 % never reads as 80.0 % next to an `ok`.
        XCTAssertEqual(LimitStatus.usedPercent(cents: Decimal(string: "79.99")!, limit: 100), Decimal(string: "79.9"))
        XCTAssertEqual(LimitStatus.usedPercent(cents: 80, limit: 100), Decimal(string: "80.0"))
        XCTAssertEqual(LimitStatus.usedPercent(cents: Decimal(string: "99.999")!, limit: 100), Decimal(string: "99.9"))
    }

    func testAWeekAcrossTwoMonthsProratesEachMonthByItsOwnDays() throws {
        let utc = TimeZone(identifier: "UTC")!
        let week = try Period.parse("2026-W40", in: utc, now: Date(timeIntervalSince1970: 1_900_000_000))
        XCTAssertEqual(BudgetScale.budget(monthly: 250, for: week), Decimal(string: "57.26"), "250 × 3/30 + 250 × 4/31")
        let month = try Period.parse("2026-10", in: utc, now: Date(timeIntervalSince1970: 1_900_000_000))
        XCTAssertEqual(BudgetScale.budget(monthly: 250, for: month), 250)
        let quarter = try Period.parse("2026-Q3", in: utc, now: Date(timeIntervalSince1970: 1_900_000_000))
        XCTAssertEqual(BudgetScale.budget(monthly: 250, for: quarter), 750)
        let berlin = try Period.parse(
            "2026-10", in: TimeZone(identifier: "Europe/Berlin")!,
            now: Date(timeIntervalSince1970: 1_900_000_000))
        XCTAssertEqual(BudgetScale.budget(monthly: 250, for: berlin), 250, "a month of 745 hours is still one month")
        let half = try Period.range(from: "2026-10-01T00:00:00Z", to: "2026-10-01T12:00:00Z", in: utc)
        XCTAssertEqual(BudgetScale.budget(monthly: 310, for: half), 5, "half a day of a 31-day month")
    }

    /// October 2026 (UTC): team A spends exactly its budget ($323.05, $30.88 of it on 19 October,
    /// exactly the daily threshold); team B spends $400.00 of $500.00 (80.0 %), all in ISO week 41,
    /// whose threshold it meets at exactly 80 %.
    static func edgeMonth() throws -> Report {
        let utc = TimeZone(identifier: "UTC")!
        let period = try Period.parse("2026-10", in: utc, now: Date(timeIntervalSince1970: 1_900_000_000))
        let buckets = Buckets(period: period)
        func line(_ gateway: String, _ costs: [(day: Int, cost: String)]) -> CostLine {
            var cost = [Decimal](repeating: 0, count: buckets.hourCount)
            var tokens = [Int64](repeating: 0, count: buckets.hourCount)
            for (day, amount) in costs {
                cost[buckets.days[day - 1].hours.lowerBound + 10] = Decimal(string: amount)!
                tokens[buckets.days[day - 1].hours.lowerBound + 10] = 1_000_000
            }
            return CostLine(
                key: UsageKey(gateway: gateway, model: "m", tokenType: "output", system: "s"),
                hourlyTokens: tokens, hourlyCost: cost, cacheTokensExcluded: 0, unpriced: false)
        }
        let lines = [
            line("gw-a", [(1, "292.17"), (19, "30.88")]),
            line("gw-b", [(5, "100.00"), (6, "100.00"), (7, "100.00"), (8, "100.00")]),
        ]
        let teams = TeamBook(
            teams: [
                Team(name: "A", monthlyBudget: Decimal(string: "323.05")!),
                Team(name: "B", monthlyBudget: 500),
            ],
            rules: [
                TeamRule(match: ["gateway": Glob("gw-a")], action: .team("A"), origin: "teams.yaml:4"),
                TeamRule(match: ["gateway": Glob("gw-b")], action: .team("B"), origin: "teams.yaml:6"),
            ],
            unallocated: .report)
        let allocation = try Allocator.allocate(
            lines: lines, book: teams,
            dimensions: UsageDimensions(labels: LabelNames(), extraLabels: []),
            teamsFile: "teams.yaml", buckets: buckets.ledgerBuckets(hourly: false))
        var config = try ReportFixture.build().config
        config.timeZone = utc
        config.teams = teams
        config.thresholds = Thresholds(
            daily: Decimal(string: "30.88")!, weekly: 500,
            monthly: Decimal(string: "723.05")!)
        return Report(
            toolVersion: "test", generatedAt: period.end, period: period, buckets: buckets, partial: false,
            prometheusURL: "http://p", config: config, lines: lines, allocation: allocation,
            assessment: Assess.assess(
                lines: lines, allocation: allocation, buckets: buckets, period: period,
                config: config),
            coverage: Coverage(), queries: [], diagnostics: [])
    }

    func testExactlyAtALimitIsReachedAndExactlyEightyPercentIsAWarningInEveryFile() throws {
        let report = try Self.edgeMonth()
        let folder = OutputFolder()
        defer { folder.remove() }
        try folder.write(report, splitByTeam: false)
        let base = "chargeback-2026-10"

        let teams = try CSVParser.rows(folder.text("\(base)-teams.csv"))
        let teamHeader = teams[0]
        func team(_ name: String, _ column: String) -> String? {
            teams.first { $0.first == name }.map { $0[teamHeader.firstIndex(of: column)!] }
        }
        XCTAssertEqual(team("A", "cost_usd"), "323.05")
        XCTAssertEqual(team("A", "budget_used_pct"), "100.0")
        XCTAssertEqual(team("A", "status"), "exceeded")
        XCTAssertEqual(team("B", "budget_used_pct"), "80.0")
        XCTAssertEqual(team("B", "status"), "warning")

        let thresholds = try CSVParser.rows(folder.text("\(base)-thresholds.csv"))
        func status(_ scope: String, _ window: String, _ start: String) -> [String]? {
            thresholds.first { $0[0] == scope && $0[1] == window && $0[2].hasPrefix(start) }
        }
        XCTAssertEqual(status("A", "month", "2026-10-01")?[5], "exceeded")
        XCTAssertEqual(status("B", "month", "2026-10-01")?[5], "warning")
        XCTAssertEqual(status("total", "day", "2026-10-19")?[3], "30.88")
        XCTAssertEqual(status("total", "day", "2026-10-19")?[5], "exceeded")
        XCTAssertEqual(status("total", "week", "2026-10-05")?[5], "warning")
        XCTAssertEqual(status("total", "month", "2026-10-01")?[5], "exceeded")

        let markdown = try folder.text("\(base).md")
        let lines = markdown.split(separator: "\n").map(String.init)
        XCTAssertTrue(
            lines.contains { $0.hasPrefix("| A |") && $0.contains("100.0 %") && $0.contains("⚠ exceeded (reached)") },
            markdown)
        XCTAssertTrue(
            lines.contains { $0.hasPrefix("| B |") && $0.contains("80.0 %") && $0.contains("⚠ warning") }, markdown)
        XCTAssertTrue(markdown.contains("- ⚠ A: $323.05 reached its budget of $323.05"), markdown)
        XCTAssertTrue(markdown.contains("- ⚠ 2026-10-19: $30.88 reached the daily $30.88"), markdown)
        XCTAssertTrue(
            lines.contains { $0.hasPrefix("| 2026-10-19 |") && $0.contains("⚠ reached daily $30.88") }, markdown)
        XCTAssertTrue(
            lines.contains {
                $0.hasPrefix("| 2026-W41 (2026-10-05 to 2026-10-11) |") && $0.contains("≥ 80 % of $500.00")
            }, markdown)
        XCTAssertFalse(markdown.contains("$30.88 is over the daily $30.88"), markdown)

        let sheets = try WorkbookCells.sheets(of: folder.url.appendingPathComponent("\(base).xlsx"))
        func cell(_ sheet: String, where match: ([String]) -> Bool, _ column: String) throws -> String {
            let rows = try XCTUnwrap(sheets[sheet], sheet)
            let index = try XCTUnwrap(rows[0].firstIndex(of: column), "\(sheet) has no \(column)")
            return try XCTUnwrap(rows.first(where: match), "\(sheet): no such row")[index]
        }
        XCTAssertEqual(try cell("Teams", where: { $0.first == "A" }, "Status"), "exceeded")
        XCTAssertEqual(try cell("Teams", where: { $0.first == "B" }, "Status"), "warning")
        XCTAssertEqual(try cell("Teams", where: { $0.first == "B" }, "Budget used"), "0.8")
        let october19 = String(
            format: "%g", XLSXSheet.serial(report.buckets.days[18].start, in: report.period.timeZone))
        XCTAssertEqual(try cell("Daily", where: { $0.first == october19 }, "Status"), "exceeded")
        XCTAssertEqual(try cell("Thresholds", where: { $0[0] == "A" }, "Status"), "exceeded")
        XCTAssertEqual(try cell("Thresholds", where: { $0[0] == "B" }, "Status"), "warning")
        XCTAssertEqual(
            try cell("Thresholds", where: { $0[1] == "week 2026-W41 (2026-10-05 to 2026-10-11)" }, "Status"), "warning")
        XCTAssertEqual(try cell("Thresholds", where: { $0[1] == "day" && $0[2] == october19 }, "Status"), "exceeded")
    }
}
