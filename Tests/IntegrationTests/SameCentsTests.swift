import ChargebackCore
import Foundation
import TestSupport
import XCTest

/// The sample October in EUR with a discount, a markup, a fixed fee and a credit: each adjustment,
/// for each team and in total, shows the same cents in the Markdown, the CSVs, the workbook's cells
/// and FOCUS, and every file states the exchange rate and its date.
final class SameCentsTests: XCTestCase {
    static let rate = Decimal(string: "0.92")!

    /// The invoice test's adjustments, in a EUR report with USD prices at 0.92 from 2026-10-01.
    static func configure(_ config: inout ChargebackConfig) {
        InvoiceReconciliationTests.configure(&config, invoices: [])
        config.currency = CurrencySettings(
            currency: "EUR",
            rates: [
                ExchangeRate(from: "USD", to: "EUR", rate: Decimal(string: "0.97")!, date: "2026-01-01", origin: "t:1"),
                ExchangeRate(from: "USD", to: "EUR", rate: rate, date: "2026-10-01", origin: "chargeback.yaml:9"),
                ExchangeRate(from: "USD", to: "EUR", rate: Decimal(string: "0.90")!, date: "2026-10-02", origin: "t:3"),
            ])
    }

    /// `€1,234.56`, `-€12.34` or `**€5.00**` as a number.
    static func euros(_ cell: Substring) -> Decimal? {
        let text = cell.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "*", with: "")
        guard text.contains("€") else { return nil }
        return Decimal(string: text.replacingOccurrences(of: "€", with: "").replacingOccurrences(of: ",", with: ""))
    }

    func testEveryFileShowsTheSameCentsInEuros() async throws {
        let world = try SampleWorld.get()
        let dollars = try await BackendReport.build(url: world.url) {
            InvoiceReconciliationTests.configure(&$0, invoices: [])
        }
        let report = try await BackendReport.build(url: world.url, configure: Self.configure)
        let ledger = report.adjustments
        XCTAssertEqual(report.currency, Currency("EUR"))
        XCTAssertEqual(report.conversion.rate, Self.rate, "the rate in force on the period's first day")
        XCTAssertEqual(ledger.lines.map(\.kind), [.discount, .markup, .fixed, .credit])

        // Converted once, exactly: measured cost and the discount are the USD amounts × 0.92, the
        // fee and the credit (200 and 50 USD a month) 184 and -46 EUR.
        XCTAssertEqual(report.totalCost, dollars.totalCost * Self.rate)
        XCTAssertEqual(ledger.lines[0].exact, dollars.adjustments.lines[0].exact * Self.rate)
        XCTAssertEqual(ledger.lines[2].cents, 184)
        XCTAssertEqual(ledger.lines[3].cents, -46)
        XCTAssertNotEqual(report.roundedTotal, dollars.roundedTotal)
        XCTAssertEqual(ledger.netCents.reduce(0, +), ledger.totalList + ledger.lines.reduce(0) { $0 + $1.cents })

        let teams = ledger.teamOrder
        let kinds: [AdjustmentLine.Kind] = [.discount, .markup, .fixed, .credit]
        func expected(_ team: Int, _ kind: AdjustmentLine.Kind) -> Decimal { ledger.cents(of: kind, team: team) }

        // Markdown: the team table (list, four adjustments, net) and the adjustment lines.
        let markdown = try MarkdownRenderer().render(report, reproduce: "")
        XCTAssertTrue(markdown.contains("1 USD = 0.92 EUR (rate of 2026-10-01, chargeback.yaml:9)"), "the rate")
        let rows = markdown.split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false) }
        for (index, team) in teams.enumerated() where ledger.listCents[index] != 0 {
            let row = try XCTUnwrap(
                rows.first {
                    $0.count == 9 && $0[1].trimmingCharacters(in: .whitespaces) == team && Self.euros($0[7]) != nil
                },
                "\(team) in the adjustments table")
            XCTAssertEqual(Self.euros(row[2]), ledger.listCents[index], team)
            for (column, kind) in kinds.enumerated() {
                XCTAssertEqual(Self.euros(row[3 + column]), expected(index, kind), "\(team) \(kind)")
            }
            XCTAssertEqual(Self.euros(row[7]), ledger.netCents[index], team)
        }
        let section = try XCTUnwrap(markdown.range(of: "| Adjustment | How | Amount | Where |"))
        let lineRows = markdown[section.upperBound...].split(separator: "\n").dropFirst().prefix(ledger.lines.count)
        XCTAssertEqual(
            lineRows.map { Self.euros($0.split(separator: "|", omittingEmptySubsequences: false)[3]) },
            ledger.lines.map(\.cents))

        // The adjustments CSV, by team and kind, and the teams' list cents in teams.csv.
        let csv = try CSVParser.records(CSVReports.adjustments(report))
        XCTAssertTrue(csv.header.contains("amount_eur"), "\(csv.header)")
        func csvAmount(_ team: String, _ kind: String) -> Decimal? {
            csv.records.first { $0["team"] == team && $0["kind"] == kind }.flatMap {
                Decimal(string: $0["amount_eur"] ?? "")
            }
        }
        let teamsCSV = try CSVParser.records(CSVReports.teams(report))
        for (index, team) in teams.enumerated() {
            XCTAssertEqual(csvAmount(team, "list"), ledger.listCents[index], team)
            XCTAssertEqual(csvAmount(team, "net"), ledger.netCents[index], team)
            for kind in kinds where expected(index, kind) != 0 {
                XCTAssertEqual(csvAmount(team, kind.rawValue), expected(index, kind), "\(team) \(kind)")
            }
            XCTAssertEqual(
                teamsCSV.records.first { $0["team"] == team }.flatMap { Decimal(string: $0["cost_eur"] ?? "") },
                ledger.listCents[index], team)
        }
        for line in ledger.lines { XCTAssertEqual(csvAmount("Total", line.kind.rawValue), line.cents, line.name) }
        // Budgets compare the net: teams.csv's net_eur, its budget use, the Teams sheet's net below.
        for status in report.budgets {
            let index = try XCTUnwrap(teams.firstIndex(of: status.group.name))
            XCTAssertEqual(status.charged, ledger.netCents[index], status.group.name)
            let record = teamsCSV.records.first { $0["team"] == status.group.name }
            XCTAssertEqual(record.flatMap { Decimal(string: $0["net_eur"] ?? "") }, ledger.netCents[index])
            if let budget = status.budget {
                XCTAssertEqual(
                    record.flatMap { Decimal(string: $0["budget_used_pct"] ?? "") },
                    LimitStatus.usedPercent(cents: ledger.netCents[index], limit: budget), status.group.name)
            }
        }
        let chargeback = try CSVParser.records(CSVReports.chargeback(report))
        XCTAssertEqual(
            chargeback.records.reduce(Decimal(0)) { $0 + Decimal(string: $1["cost_eur"] ?? "")! }, report.roundedTotal)

        // The workbook's cells: the Adjustments sheet, and the rate on the About sheet.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cb-cents-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let workbook = folder.appendingPathComponent("report.xlsx")
        try WorkbookRenderer.write(report, to: workbook.path)
        let sheets = try WorkbookCells.sheets(of: workbook)
        let sheet = try XCTUnwrap(sheets["Adjustments"])
        XCTAssertEqual(sheet[0][4], "Amount (EUR)")
        func cell(_ team: String, _ kind: String) -> Decimal? {
            sheet.first { $0[0] == team && $0[2] == kind }.flatMap { Decimal(string: $0[4]) }.map { Money.round($0) }
        }
        for (index, team) in teams.enumerated() {
            XCTAssertEqual(cell(team, "list"), ledger.listCents[index], team)
            XCTAssertEqual(cell(team, "net"), ledger.netCents[index], team)
            for kind in kinds where expected(index, kind) != 0 {
                XCTAssertEqual(cell(team, kind.rawValue), expected(index, kind), "\(team) \(kind)")
            }
        }
        for line in ledger.lines { XCTAssertEqual(cell("Total", line.kind.rawValue), line.cents, line.name) }
        let teamSheet = try XCTUnwrap(sheets["Teams"])
        XCTAssertEqual(teamSheet[0][12], "Net (EUR)")
        for (index, team) in teams.enumerated() {
            let row = try XCTUnwrap(teamSheet.first { $0[0] == team }, team)
            XCTAssertEqual(Decimal(string: row[12]).map { Money.round($0) }, ledger.netCents[index], team)
        }
        XCTAssertTrue(
            try XCTUnwrap(sheets["About"]).joined().contains { $0.contains("1 USD = 0.92 EUR (rate of 2026-10-01") })

        // FOCUS: each team's adjustment rows (named in Tags) and usage rows, billed in EUR.
        let focus = try CSVParser.records(FOCUSRenderer.render(report))
        XCTAssertEqual(Set(focus.records.map { $0["BillingCurrency"] }), ["EUR"])
        XCTAssertEqual(Set(focus.records.map { $0["PricingCurrency"] }), ["USD"])
        XCTAssertEqual(
            Set(focus.records.map { "\($0["x_ExchangeRate"]!) \($0["x_ExchangeRateDate"]!)" }), ["0.92 2026-10-01"])
        func billed(_ team: String, _ adjustment: String?) -> Decimal {
            focus.records.filter { record in
                let tags = (try? JSONSerialization.jsonObject(with: Data(record["Tags"]!.utf8))) as? [String: String]
                return record["x_Team"] == team && tags?["adjustment"] == adjustment
            }.reduce(0) { $0 + Decimal(string: $1["BilledCost"]!)! }
        }
        for (index, team) in teams.enumerated() {
            XCTAssertEqual(billed(team, nil), ledger.listCents[index], team)
            for line in ledger.lines {
                XCTAssertEqual(billed(team, line.name), line.teamCents[index], "\(team) \(line.name)")
            }
        }

        // The manifest records the rate.
        let manifest =
            try JSONSerialization.jsonObject(
                with: ManifestRenderer.render(report, commandLine: [], outputs: [])) as? [String: Any]
        let currency = try XCTUnwrap(manifest?["currency"] as? [String: Any])
        XCTAssertEqual(currency["code"] as? String, "EUR")
        let rate = try XCTUnwrap(currency["exchange_rate"] as? [String: Any])
        XCTAssertEqual(rate["rate"] as? String, "0.92")
        XCTAssertEqual(rate["date"] as? String, "2026-10-01")
    }
}
