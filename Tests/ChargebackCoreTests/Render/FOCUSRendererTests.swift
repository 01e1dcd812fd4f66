import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

final class FOCUSRendererTests: XCTestCase {
    static let mandatory = [
        "BilledCost", "BillingAccountId", "BillingAccountName", "BillingCurrency", "BillingPeriodEnd",
        "BillingPeriodStart", "ChargeCategory", "ChargeClass", "ChargeDescription", "ChargePeriodEnd",
        "ChargePeriodStart", "ContractedCost", "EffectiveCost", "InvoiceIssuerName", "ListCost",
        "PricingQuantity", "PricingUnit", "ProviderName", "PublisherName", "ServiceCategory",
        "ServiceName",
    ]

    func records() throws -> (Report, [String], [[String: String]]) {
        let report = try ReportFixture.make()
        let (header, records) = try CSVParser.records(FOCUSRenderer.render(report))
        return (report, header, records)
    }

    func testHasTheMandatoryColumnsAndOnlyPrefixedCustomOnes() throws {
        let (report, header, records) = try records()
        for column in Self.mandatory { XCTAssertTrue(header.contains(column), column) }
        let focus = Set(
            Self.mandatory + [
                "BillingAccountType", "ChargeFrequency", "ConsumedQuantity", "ConsumedUnit",
                "ContractedUnitPrice", "InvoiceId", "ListUnitPrice", "PricingCategory", "ServiceSubcategory",
                "SkuId", "SkuMeter", "SkuPriceDetails", "SkuPriceId", "SubAccountId", "SubAccountName",
                "SubAccountType", "Tags",
            ])
        for column in header where !focus.contains(column) {
            XCTAssertTrue(column.hasPrefix("x_"), "custom column \(column) must start with x_")
        }
        XCTAssertFalse(records.isEmpty)
        for record in records {
            XCTAssertEqual(record["ServiceCategory"], "AI and Machine Learning")
            XCTAssertEqual(record["PricingUnit"], "Tokens")
            // The platform provides and invoices every charge: none is a third party's (BilledCost-C-005-C).
            XCTAssertEqual(record["ProviderName"], record["InvoiceIssuerName"])
            XCTAssertEqual(record["InvoiceId"], "\(report.period.label)/\(record["BillingAccountId"]!)")
            XCTAssertEqual(record["ChargeCategory"], "Usage")
            XCTAssertEqual(record["ChargeClass"], "", "a null is an empty cell")
            XCTAssertEqual(record["BillingCurrency"], "USD")
            for column in ["BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd"] {
                let value = record[column] ?? ""
                XCTAssertNotNil(
                    value.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"#, options: .regularExpression),
                    "\(column) \(value)")
            }
            XCTAssertEqual(record["BillingPeriodStart"], "2026-10-23T22:00:00Z", "Berlin midnight in UTC")
            XCTAssertEqual(record["BillingPeriodEnd"], "2026-10-26T23:00:00Z", "after the end of summer time")
            let tags = try JSONSerialization.jsonObject(with: Data((record["Tags"] ?? "").utf8)) as? [String: String]
            XCTAssertEqual(tags?["team"], record["x_Team"])
            XCTAssertEqual(tags?["gateway"], record["x_Gateway"])
            XCTAssertEqual(tags?["model"], record["x_Model"])
        }
    }

    func testListCostIsExactlyUnitPriceTimesQuantity() throws {
        let (_, _, records) = try records()
        for record in records {
            let unit = try XCTUnwrap(
                Decimal(string: record["ListUnitPrice"] ?? "", locale: Locale(identifier: "en_US_POSIX")))
            let quantity = try XCTUnwrap(
                Decimal(string: record["PricingQuantity"] ?? "", locale: Locale(identifier: "en_US_POSIX")))
            let list = try XCTUnwrap(
                Decimal(string: record["ListCost"] ?? "", locale: Locale(identifier: "en_US_POSIX")))
            XCTAssertEqual(unit * quantity, list, "\(record["SkuPriceId"] ?? "")")
            XCTAssertEqual(record["ContractedCost"], record["ListCost"])
            XCTAssertEqual(record["ContractedUnitPrice"], record["ListUnitPrice"])
            XCTAssertEqual(record["EffectiveCost"], record["BilledCost"])
            let billed = try XCTUnwrap(Decimal(string: record["BilledCost"] ?? ""))
            XCTAssertLessThan(
                abs(Money.double(billed - list)), 0.02, "billed is list rounded to cents, give or take a cent")
        }
    }

    func testBilledCentsAddUpToTheChargebackPerTeamAndInTotal() throws {
        let (report, _, records) = try records()
        var perTeam: [String: Decimal] = [:]
        for record in records {
            perTeam[record["x_Team"] ?? "", default: 0] += Decimal(string: record["BilledCost"] ?? "") ?? 0
        }
        XCTAssertEqual(perTeam.values.reduce(0, +), report.allocation.roundedTotal)
        for team in report.allocation.teamOrder {
            XCTAssertEqual(perTeam[team] ?? 0, report.allocation.cost(of: team), team)
        }
        let tokens = records.reduce(Decimal(0)) { $0 + (Decimal(string: $1["ConsumedQuantity"] ?? "") ?? 0) }
        XCTAssertEqual(tokens, Decimal(report.allocation.rows.reduce(0) { $0 + $1.tokens }))
    }

    /// The fixture's usage split 5 % each way over 20 teams.
    func twentyWayReport() throws -> Report {
        let (base, baseConfig) = try ReportFixture.build()
        let teams = (1...20).map { Team(name: "team-\($0)", costCenter: "CC-\($0)") }
        let book = TeamBook(
            teams: teams,
            rules: [TeamRule(match: [:], action: .split(teams.map { ($0.name, Decimal(5)) }), origin: "teams.yaml:3")],
            unallocated: .report)
        var config = baseConfig
        config.teams = book
        let allocation = try Allocator.allocate(
            lines: base.lines, book: book, dimensions: UsageDimensions(labels: LabelNames(), extraLabels: []),
            teamsFile: "teams.yaml", buckets: base.buckets.ledgerBuckets(hourly: false))
        return Report(
            toolVersion: base.toolVersion, generatedAt: base.generatedAt, period: base.period, buckets: base.buckets,
            partial: false, prometheusURL: base.prometheusURL, config: config, lines: base.lines,
            allocation: allocation, assessment: base.assessment, coverage: base.coverage, queries: [],
            diagnostics: [])
    }

    /// Issue 28, item 2: tokens are whole in FOCUS too, and the same as the chargeback CSV's row.
    func testQuantitiesAreTheChargebackRowsWholeTokens() throws {
        for (name, report) in [("fixture", try ReportFixture.make()), ("20-way split", try twentyWayReport())] {
            let (_, focus) = try CSVParser.records(FOCUSRenderer.render(report))
            let (_, chargeback) = try CSVParser.records(CSVReports.chargeback(report))
            XCTAssertEqual(focus.count, chargeback.count, name)
            for (charge, row) in zip(focus, chargeback) {
                let context = "\(name): \(row)"
                XCTAssertEqual(charge["x_Team"], row["team"], context)
                XCTAssertEqual(charge["x_Gateway"], row["gateway"], context)
                XCTAssertEqual(charge["x_Model"], row["model"], context)
                XCTAssertEqual(charge["x_TokenType"], row["token_type"], context)
                // Whole tokens, written as FOCUS Decimals: `11898632.0` where the CSV says 11898632.
                XCTAssertEqual(charge["PricingQuantity"], row["billable_tokens"].map { $0 + ".0" }, context)
                XCTAssertEqual(charge["ConsumedQuantity"], row["tokens"].map { $0 + ".0" }, context)
                let billable = try XCTUnwrap(Int64(row["billable_tokens"] ?? ""), context)
                let tokens = try XCTUnwrap(Int64(row["tokens"] ?? ""), context)
                XCTAssertLessThanOrEqual(billable, tokens, context)
                if row["token_type"] != "input" || charge["PublisherName"] == "anthropic" {
                    XCTAssertEqual(billable, tokens, "nothing cached inside \(context)")
                }
            }
        }
    }

    func testAPriceChangeSplitsTheChargeAtTheChange() throws {
        let (_, _, records) = try records()
        let sonnet = records.filter { $0["x_Model"] == "claude-sonnet-4-5-20250929" && $0["x_TokenType"] == "output" }
        XCTAssertEqual(sonnet.map { $0["ChargePeriodStart"] ?? "" }, ["2026-10-23T22:00:00Z", "2026-10-25T00:00:00Z"])
        XCTAssertEqual(sonnet.map { $0["ChargePeriodEnd"] ?? "" }, ["2026-10-25T00:00:00Z", "2026-10-26T23:00:00Z"])
        XCTAssertEqual(sonnet.map { $0["ListUnitPrice"] ?? "" }, ["0.000015", "0.000012"])
        XCTAssertEqual(
            sonnet.map { $0["SkuPriceId"] ?? "" },
            ["claude-sonnet-4-5-20250929/output@2025-09-29", "claude-sonnet-4-5-20250929/output@2026-10-25"])
    }

    func testCachedTokensInsideInputAreNotPricedTwice() throws {
        let (report, _, records) = try records()
        // OpenAI's input counter includes its cache reads: the billable quantity is input − cache read.
        let input = records.filter { $0["x_Model"] == "gpt-4o-2024-08-06" && $0["x_TokenType"] == "input" }
        let quantity = input.reduce(Decimal(0)) { $0 + (Decimal(string: $1["PricingQuantity"] ?? "") ?? 0) }
        let consumed = input.reduce(Decimal(0)) { $0 + (Decimal(string: $1["ConsumedQuantity"] ?? "") ?? 0) }
        let line = try XCTUnwrap(
            report.lines.first { $0.key.model == "gpt-4o-2024-08-06" && $0.key.tokenType == "input" })
        XCTAssertEqual(consumed, Decimal(line.tokens))
        XCTAssertEqual(quantity, Decimal(line.tokens - line.cacheTokensExcluded))
    }

    func testUnpricedUsageIsAZeroPricedChargeWithoutASkuPrice() throws {
        let (_, _, records) = try records()
        let unpriced = try XCTUnwrap(records.first { $0["x_Model"] == "mystery-model" })
        XCTAssertEqual(unpriced["x_Unpriced"], "true")
        XCTAssertEqual(unpriced["ListUnitPrice"], "0")
        XCTAssertEqual(unpriced["SkuPriceId"], "")
        XCTAssertEqual(unpriced["BillingAccountName"], "Unallocated")
        XCTAssertEqual(unpriced["PublisherName"], "unknown")
    }

    /// Issue 28, item 6: the LLM provider is the `PublisherName` (FOCUS 1.2: who produced what was
    /// bought), the platform the `ProviderName` (who makes it available), in the file and the docs.
    func testTheLLMProviderIsThePublisherInTheFileAndTheDocs() throws {
        let (report, _, records) = try records()
        for (record, row) in zip(records, report.allocation.rows) {
            XCTAssertEqual(record["PublisherName"], row.key.system.isEmpty ? "unknown" : row.key.system)
            XCTAssertEqual(record["ProviderName"], "Internal chargeback")
        }
        for file in ["README.md", "docs/output-files.md"] {
            let text = try String(contentsOf: PackagePaths.root.appendingPathComponent(file), encoding: .utf8)
                .replacingOccurrences(of: "\n", with: " ")
            let start = try XCTUnwrap(text.range(of: "each gateway a sub-account"), file).upperBound
            let mapping = text[start...].prefix(600)
            let llm = try XCTUnwrap(mapping.range(of: "LLM provider"), "\(file): \(mapping)").upperBound
            let column = mapping[llm...].split(separator: "`").first { $0.hasSuffix("Name") }
            XCTAssertEqual(column, "PublisherName", "\(file) names the LLM provider's column: \(mapping)")
            XCTAssertTrue(mapping[..<llm].contains("`ProviderName`"), "\(file): \(mapping)")
        }
    }
}
