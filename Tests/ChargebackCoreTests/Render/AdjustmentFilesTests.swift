import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// Discounts, markup, a fixed fee and a credit show the same cents in the Markdown, the
/// adjustments CSV, the workbook's Adjustments sheet and the FOCUS file.
final class AdjustmentFilesTests: XCTestCase {
    static let terms = """
        models: []
        adjustments:
          discounts: [ { match: { system: anthropic }, percent: 12.5, from: 2025-01-01 } ]
          markup: [ { percent: 5, from: 2026-10-25 } ]
          fixed: [ { name: Platform fee, amount: 200, from: 2026-01-01, allocate: even } ]
          credits: [ { name: Launch credit, amount: 50, month: 2026-10, allocate: { team: Research } } ]
        """

    /// The fixture report with `terms` in its price book and the adjustment ledger they make.
    static func report() throws -> Report {
        let parsed = try PriceBookParser.parse(try YAMLValue.parse(terms, file: "pricing.yaml"))
        let (base, config) = try ReportFixture.build {
            $0.pricing = PriceBook(
                currency: "USD", models: $0.pricing.models, unpriced: $0.pricing.unpriced,
                adjustments: parsed.adjustments)
        }
        let ledger = Adjusting.ledger(
            lines: base.lines, allocation: base.allocation, terms: parsed.adjustments,
            buckets: base.buckets, dimensions: config.dimensions,
            bookTeams: config.teams.teams.map(\.name))
        return Report(
            toolVersion: base.toolVersion, generatedAt: base.generatedAt, period: base.period,
            buckets: base.buckets, partial: base.partial, prometheusURL: base.prometheusURL, config: config,
            lines: base.lines, allocation: base.allocation, assessment: base.assessment,
            coverage: base.coverage, queries: base.queries, diagnostics: base.diagnostics,
            cacheRules: base.cacheRules, adjustments: ledger)
    }

    func amount(_ text: String) -> Decimal {
        Decimal(
            string: text.replacingOccurrences(of: "$", with: "").replacingOccurrences(of: ",", with: "")
                .replacingOccurrences(of: "*", with: "").trimmingCharacters(in: .whitespaces)) ?? -999_999
    }

    func testEveryFileShowsTheAdjustmentsWithTheSameCents() throws {
        let report = try Self.report()
        let ledger = report.adjustments
        XCTAssertEqual(Set(ledger.lines.map(\.kind)), [.discount, .markup, .fixed, .credit])
        let folder = OutputFolder()
        defer { folder.remove() }
        try folder.write(report)
        let base = "chargeback-\(report.period.label)"

        // Expected: (team, adjustment name) → cents, from the ledger; and each team's net.
        var expected: [String: Decimal] = [:]
        for line in ledger.lines {
            for (index, team) in ledger.teamOrder.enumerated() where line.teamCents[index] != 0 {
                expected["\(team)|\(line.name)"] = line.teamCents[index]
            }
        }
        let nets = Dictionary(uniqueKeysWithValues: zip(ledger.teamOrder, ledger.netCents))
        XCTAssertEqual(ledger.totalNet, report.roundedTotal + ledger.lines.reduce(0) { $0 + $1.cents })

        // CSV.
        let csv = try CSVParser.rows(folder.text("\(base)-adjustments.csv"))
        XCTAssertEqual(csv[0], ["team", "cost_center", "kind", "adjustment", "amount_usd", "basis", "origin"])
        var fromCSV: [String: Decimal] = [:]
        var csvNets: [String: Decimal] = [:]
        for row in csv.dropFirst() where row[0] != "Total" {
            if row[2] == "net" {
                csvNets[row[0]] = amount(row[4])
            } else if row[2] != "list" {
                fromCSV["\(row[0])|\(row[3])"] = amount(row[4])
            }
        }
        XCTAssertEqual(fromCSV, expected)
        XCTAssertEqual(csvNets, nets)

        // Workbook: the same rows on the Adjustments sheet.
        let sheets = try WorkbookCells.sheets(of: folder.url.appendingPathComponent("\(base).xlsx"))
        let sheet = try XCTUnwrap(sheets["Adjustments"])
        var fromSheet: [String: Decimal] = [:]
        for row in sheet.dropFirst() where row.count > 4 && row[0] != "Total" && !["list", "net"].contains(row[2]) {
            fromSheet["\(row[0])|\(row[3])"] = Money.round(amount(row[4]))
        }
        XCTAssertEqual(fromSheet, expected)

        // FOCUS: one row per team and adjustment; billed cost sums to the nets.
        let focus = try CSVParser.rows(folder.text("\(base)-focus.csv"))
        let column = { (name: String) in focus[0].firstIndex(of: name)! }
        var fromFOCUS: [String: Decimal] = [:]
        var billed: [String: Decimal] = [:]
        var list = Decimal(0)
        var contracted = Decimal(0)
        for row in focus.dropFirst() {
            billed[row[column("x_Team")], default: 0] += amount(row[column("BilledCost")])
            list += amount(row[column("ListCost")])
            contracted += amount(row[column("ContractedCost")])
            guard row[column("ChargeCategory")] != "Usage" else { continue }
            let description = row[column("ChargeDescription")]
            let name = ledger.lines.first { description.hasPrefix($0.name + ": ") }?.name ?? description
            fromFOCUS["\(row[column("x_Team")])|\(name)"] = amount(row[column("BilledCost")])
        }
        XCTAssertEqual(fromFOCUS, expected)
        XCTAssertEqual(billed, nets.filter { $0.value != 0 || billed[$0.key] != nil })
        let discounts = ledger.lines.filter { $0.kind == .discount }.reduce(Decimal(0)) { $0 + $1.cents }
        let markupAndFees = ledger.lines.filter { $0.kind == .markup || $0.kind == .fixed }
            .reduce(Decimal(0)) { $0 + $1.cents }
        // List cost of usage rows is exact (unit price × quantity), so compare to the cent.
        XCTAssertEqual(Money.round(list), report.roundedTotal + markupAndFees)
        XCTAssertEqual(Money.round(contracted), report.roundedTotal + markupAndFees + discounts)

        // Markdown: the per-team table and the line-by-line table.
        let markdown = try folder.text("\(base).md")
        let lines = markdown.components(separatedBy: "\n")
        let start = try XCTUnwrap(lines.firstIndex(of: "## List cost, adjustments and net"))
        let end = lines[(start + 1)...].firstIndex { $0.hasPrefix("## ") } ?? lines.endIndex
        let rows = lines[start..<end].filter { $0.hasPrefix("| ") }.map {
            $0.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                .map { $0.trimmingCharacters(in: .whitespaces) }
        }
        var mdNets: [String: Decimal] = [:]
        var mdLines: [String: Decimal] = [:]
        for row in rows where row.count == 7 && row[0] != "Team" && row[0] != "**Total**" {
            mdNets[row[0]] = amount(row[6])
        }
        for row in rows where row.count == 4 && row[0] != "Adjustment" { mdLines[row[0]] = amount(row[2]) }
        XCTAssertEqual(mdNets, nets.filter { $0.value != 0 })
        XCTAssertEqual(mdLines, Dictionary(uniqueKeysWithValues: ledger.lines.map { ($0.name, $0.cents) }))
        XCTAssertTrue(markdown.contains("| Net after adjustments | **\(Currency.usd.format(ledger.totalNet))** |"))
    }
}
