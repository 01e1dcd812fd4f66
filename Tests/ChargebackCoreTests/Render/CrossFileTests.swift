import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// One set of cents: every per-team, gateway, model, day and week figure of every file written for
/// the fixture report (Markdown, the CSVs, FOCUS, the workbook's cached values, the team packs),
/// parsed back from the files, is the same number.
final class CrossFileTests: XCTestCase {
    /// `$1,234.56` or `1234.56` as a decimal; a value that is not whole cents fails the test.
    func cents(_ text: String, _ what: String, file: StaticString = #filePath, line: UInt = #line) -> Decimal {
        let plain = text.replacingOccurrences(of: "$", with: "").replacingOccurrences(of: ",", with: "")
            .replacingOccurrences(of: "*", with: "").trimmingCharacters(in: .whitespaces)
        guard let value = Decimal(string: plain) else {
            XCTFail("\(what): '\(text)' is not an amount", file: file, line: line)
            return -1
        }
        let rounded = Money.round(value)
        XCTAssertLessThan(
            abs(Money.double(value - rounded)), 1e-9, "\(what): \(text) is not whole cents", file: file, line: line)
        return rounded
    }

    /// The rows of the Markdown table under `heading` (the first table after it), as cells.
    func table(_ markdown: String, after heading: String) -> [[String]] {
        let lines = markdown.components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: heading) else { return [] }
        var rows: [[String]] = []
        for line in lines[(start + 1)...] {
            if line.hasPrefix("|") {
                rows.append(
                    line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                        .map { $0.trimmingCharacters(in: .whitespaces) })
            } else if !rows.isEmpty {
                break
            }
        }
        return Array(rows.dropFirst(2))
    }

    /// Sums `amount` per `label` over rows.
    func sums(_ rows: [[String]], label: Int, amount: Int, _ what: String) -> [String: Decimal] {
        var result: [String: Decimal] = [:]
        for row in rows { result[row[label], default: 0] += cents(row[amount], what) }
        return result
    }

    func testEveryFileShowsTheSameCents() throws {
        let report = try ReportFixture.make()
        let folder = OutputFolder()
        defer { folder.remove() }
        try folder.write(report)
        let base = "chargeback-\(report.period.label)"
        let zone = report.period.timeZone

        // The ledger's own sums, which every file must show.
        var teams: [String: Decimal] = [:]
        var gateways: [String: Decimal] = [:]
        var models: [String: Decimal] = [:]
        for row in report.allocation.rows {
            teams[row.team, default: 0] += row.cost
            gateways[row.key.gateway, default: 0] += row.cost
            models[row.key.model, default: 0] += row.cost
        }
        let days = Dictionary(
            uniqueKeysWithValues: report.byDay.map { (DateText.day($0.day.start, in: zone), $0.cost) })
        XCTAssertEqual(days.values.reduce(0, +), report.roundedTotal)
        XCTAssertEqual(teams.values.reduce(0, +), report.roundedTotal)

        // Chargeback CSV and FOCUS, row by row summed.
        let chargeback = try CSVParser.rows(folder.text("\(base)-chargeback.csv"))
        let header = chargeback[0]
        let costColumn = header.firstIndex(of: "cost_usd")!
        let body = Array(chargeback.dropFirst())
        XCTAssertEqual(sums(body, label: 0, amount: costColumn, "chargeback"), teams)
        XCTAssertEqual(sums(body, label: header.firstIndex(of: "gateway")!, amount: costColumn, "chargeback"), gateways)
        XCTAssertEqual(sums(body, label: header.firstIndex(of: "model")!, amount: costColumn, "chargeback"), models)
        let focus = try CSVParser.rows(folder.text("\(base)-focus.csv"))
        let focusBody = Array(focus.dropFirst())
        let billed = focus[0].firstIndex(of: "BilledCost")!
        XCTAssertEqual(sums(focusBody, label: focus[0].firstIndex(of: "x_Team")!, amount: billed, "focus"), teams)
        XCTAssertEqual(sums(focusBody, label: focus[0].firstIndex(of: "x_Gateway")!, amount: billed, "focus"), gateways)
        XCTAssertEqual(sums(focusBody, label: focus[0].firstIndex(of: "x_Model")!, amount: billed, "focus"), models)

        // teams.csv and thresholds.csv (total per day and week; each team's days add up to the team).
        let teamsCSV = try CSVParser.rows(folder.text("\(base)-teams.csv"))
        XCTAssertEqual(
            sums(Array(teamsCSV.dropFirst()), label: 0, amount: teamsCSV[0].firstIndex(of: "cost_usd")!, "teams"),
            teams)
        let thresholds = Array(try CSVParser.rows(folder.text("\(base)-thresholds.csv")).dropFirst())
        let totalDays = thresholds.filter { $0[0] == "total" && $0[1] == "day" }
        XCTAssertEqual(
            sums(totalDays.map { [String($0[2].prefix(10)), $0[3]] }, label: 0, amount: 1, "thresholds"), days)
        for team in teams.keys {
            let rows = thresholds.filter { $0[0] == team && $0[1] == "day" }
            XCTAssertEqual(rows.reduce(Decimal(0)) { $0 + cents($1[3], "thresholds \(team)") }, teams[team], team)
            let month = thresholds.filter { $0[0] == team && $0[1] == "month" }
            XCTAssertEqual(month.reduce(Decimal(0)) { $0 + cents($1[3], "month \(team)") }, teams[team], team)
        }
        var weeks: [String: Decimal] = [:]
        for week in thresholds.filter({ $0[0] == "total" && $0[1] == "week" }) {
            weeks[String(week[2].prefix(10))] = cents(week[3], "week")
        }
        XCTAssertEqual(weeks.values.reduce(0, +), report.roundedTotal)

        // The Markdown's tables.
        let markdown = try folder.text("\(base).md")
        let mdTeams = table(markdown, after: "## Cost per team").filter { $0[0] != "**Total**" }
        XCTAssertEqual(sums(mdTeams, label: 0, amount: 3, "markdown team"), teams)
        let mdGateways = table(markdown, after: "## Cost per gateway").filter { $0[0] != "**Total**" }
        XCTAssertEqual(sums(mdGateways, label: 0, amount: 5, "markdown gateway"), gateways)
        let mdModels = table(markdown, after: "## Cost per model").filter { $0[0] != "**Total**" }
        XCTAssertEqual(sums(mdModels, label: 0, amount: 5, "markdown model"), models)
        let mdDays = table(markdown, after: "## Cost per day").filter { $0[0] != "**Total**" }
        XCTAssertEqual(sums(mdDays, label: 0, amount: 2, "markdown day"), days)
        // A week is named "2026-W41 (2026-10-05 to 2026-10-11)": its first date is the key.
        let mdWeeks = table(markdown, after: "## Thresholds").filter { $0[0].contains("-W") }.map { row in
            [
                row[0].range(of: #"\d{4}-\d{2}-\d{2}"#, options: .regularExpression).map { String(row[0][$0]) }
                    ?? row[0],
                row[1],
            ]
        }
        XCTAssertEqual(sums(mdWeeks, label: 0, amount: 1, "markdown week"), weeks)
        for total in ["## Cost per team", "## Cost per gateway", "## Cost per model", "## Cost per day"] {
            let row = table(markdown, after: total).first { $0[0] == "**Total**" }
            XCTAssertEqual(row.map { cents($0.last { $0.contains("$") } ?? "", total) }, report.roundedTotal, total)
        }

        // The workbook's cached values: Teams, Gateways, Models, Daily, Line Items, Thresholds.
        let sheets = try WorkbookCells.sheets(of: folder.url.appendingPathComponent("\(base).xlsx"))
        func sheet(_ name: String, label: String, amount: String = "Cost (USD)") throws -> [String: Decimal] {
            let rows = try XCTUnwrap(sheets[name], name)
            let labelColumn = try XCTUnwrap(rows[0].firstIndex(of: label), "\(name) \(label)")
            let amountColumn = try XCTUnwrap(rows[0].firstIndex(of: amount), "\(name) \(amount)")
            let data = rows.dropFirst().filter {
                !$0[labelColumn].isEmpty && $0[labelColumn] != "Total" && !$0[amountColumn].isEmpty
            }
            return sums(data.map { $0 }, label: labelColumn, amount: amountColumn, name)
        }
        XCTAssertEqual(try sheet("Teams", label: "Team"), teams)
        XCTAssertEqual(try sheet("Gateways", label: "Gateway"), gateways)
        XCTAssertEqual(try sheet("Models", label: "Model"), models)
        XCTAssertEqual(try sheet("Line Items", label: "Gateway"), gateways)
        XCTAssertEqual(try sheet("Line Items", label: "Model"), models)
        let serials = Dictionary(
            uniqueKeysWithValues: report.buckets.days.map {
                (String(format: "%g", XLSXSheet.serial($0.start, in: zone)), DateText.day($0.start, in: zone))
            })
        func byDate(_ figures: [String: Decimal]) -> [String: Decimal] {
            Dictionary(uniqueKeysWithValues: figures.map { (serials[$0.key] ?? $0.key, $0.value) })
        }
        XCTAssertEqual(byDate(try sheet("Daily", label: "Day")), days)
        XCTAssertEqual(byDate(try sheet("Line Items", label: "Day")), days)
        let checks = try XCTUnwrap(sheets["Thresholds"])
        var sheetWeeks: [Decimal] = []
        for row in checks.dropFirst() where row[0] == "Total" && (row[1] == "day" || row[1].hasPrefix("week")) {
            if row[1] == "day" {
                XCTAssertEqual(
                    cents(row[4], "Thresholds day"), days[serials[row[2]] ?? row[2]], row.joined(separator: " "))
            } else {
                sheetWeeks.append(cents(row[4], "Thresholds week"))
            }
        }
        XCTAssertEqual(sheetWeeks.sorted(), weeks.values.sorted())
        let summary = try XCTUnwrap(sheets["Summary"])
        XCTAssertEqual(
            summary.first { $0.first == "Total cost (USD)" }.map { cents($0[1], "summary") }, report.roundedTotal)

        // Each team pack: its days and gateways add up to the team's cents, its days to the team's
        // days in thresholds.csv.
        for team in report.allocation.teamOrder where team != TeamBook.unallocatedName {
            let pack = try folder.text("teams/\(team)/\(base)-\(team).md")
            let packDays = sums(
                table(pack, after: "## Cost per day").filter { $0[0] != "**Total**" }, label: 0, amount: 2,
                "pack \(team)")
            let teamDays = sums(
                thresholds.filter { $0[0] == team && $0[1] == "day" }.map { [String($0[2].prefix(10)), $0[3]] },
                label: 0, amount: 1, "thresholds \(team)")
            XCTAssertEqual(packDays, teamDays, team)
            XCTAssertEqual(packDays.values.reduce(0, +), teams[team], team)
            let packGateways = sums(
                table(pack, after: "## Cost per gateway").filter { $0[0] != "**Total**" }, label: 0,
                amount: 5, "pack \(team)")
            XCTAssertEqual(packGateways.values.reduce(0, +), teams[team], team)
        }
    }
}
