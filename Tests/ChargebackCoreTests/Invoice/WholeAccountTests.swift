import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// Whole-account files: the FinOps Foundation's sample as it is and moved into the report's month,
/// and Bedrock lines among EC2 and S3.
final class WholeAccountTests: XCTestCase {
    let utc = TimeZone(identifier: "UTC")!
    let dimensions = UsageDimensions(labels: LabelNames(), extraLabels: [])

    /// The Foundation's `FOCUS-1.0/focus_sample.csv` (CC BY 4.0), byte for byte.
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/FOCUS-Sample-Data/focus_sample.csv")

    func october() throws -> Period { try Period.parse("2026-10", in: utc) }

    func book() throws -> PriceBook {
        try PriceBookParser.parse(
            try YAMLValue.parse(
                """
                models:
                  - match: "claude-sonnet-4-5*"
                    prices: [ { from: 2025-01-01, input: 3, output: 15 } ]
                  - match: "claude-3-5-haiku*"
                    prices: [ { from: 2024-11-04, input: 0.8, output: 4 } ]
                """, file: "pricing.yaml"))
    }

    func options(_ selection: ServiceSelection = ServiceSelection()) throws -> InvoiceOptions {
        let period = try october()
        return InvoiceOptions(
            period: DateInterval(start: period.start, end: period.end), book: try book(), selection: selection)
    }

    func testTheFoundationSampleAsItIsIsReadAndSaysItIsAnotherPeriod() throws {
        let invoice = try InvoiceReader.read(path: Self.sample.path, file: "focus_sample.csv", options: try options())
        XCTAssertEqual(invoice.sha256, "e91e5ac7edf01ed2c9d926f37ef7dc1ae2aae97956fea8da6c9ee488b1c2839e")
        XCTAssertEqual(invoice.summary.lineCount, 1000)
        XCTAssertEqual(invoice.lines, [], "no line of it is an AI charge")
        XCTAssertEqual(invoice.summary.linesInPeriod, 0)
        XCTAssertEqual(invoice.summary.setAside.reduce(0) { $0 + $1.lines }, 1000)
        let said = InvoiceSentence.text(invoice, period: try october(), currency: .usd)
        XCTAssertEqual(
            said,
            "1000 lines, 2024-09-01 to 2024-10-01; 0 AI lines ($0.00); none in 2026-10; 1000 lines "
                + "(20.52 USD) set aside as not AI")
        let warnings = try InvoiceFit.period([invoice], period: try october(), basis: .measured)
        XCTAssertEqual(
            warnings.map(\.message),
            [
                "focus_sample.csv covers 2024-09-01 to 2024-10-01: none of its 1000 lines falls in 2026-10, so it "
                    + "reconciles nothing"
            ])
        XCTAssertThrowsError(try InvoiceFit.period([invoice], period: try october(), basis: .invoice)) { error in
            XCTAssertEqual((error as? ExitCodeError)?.exitCode, 64)
            XCTAssertTrue("\(error.localizedDescription)".contains("--basis invoice"), "\(error)")
        }
    }

    func testTheSampleInTheReportsMonthMakesNoRowAndStatesWhatWasSetAside() throws {
        let text = try String(contentsOf: Self.sample, encoding: .utf8)
            .replacingOccurrences(of: "2024-10-01", with: "2026-11-01")
            .replacingOccurrences(of: "2024-09-", with: "2026-10-")
        let invoice = try InvoiceReader.parse(Data(text.utf8), file: "shifted.csv", options: try options())
        XCTAssertEqual(invoice.summary.linesInPeriod, 1000)
        XCTAssertEqual(invoice.lines, [])
        let byService = Dictionary(uniqueKeysWithValues: invoice.summary.setAside.map { ($0.service, $0) })
        XCTAssertEqual(byService["Amazon Elastic Compute Cloud"]?.lines, 554)
        XCTAssertEqual(byService["Amazon Elastic Compute Cloud"]?.cost, Decimal(string: "16.0416930505"))
        XCTAssertEqual(byService["Azure Machine Learning"]?.lines, 9, "ML infrastructure, no model or tokens")
        XCTAssertEqual(invoice.summary.setAside.first?.service, "Amazon Elastic Compute Cloud", "largest first")
        let buckets = Buckets(period: try october())
        let result = try Reconciler.reconcile(
            invoices: [invoice], lines: [line("anthropic", "claude-sonnet-4-5", perDay: 5, buckets: buckets)],
            buckets: buckets, book: try book(), dimensions: dimensions, tolerancePercent: 1)
        XCTAssertEqual(result.rows, [], "no row for a line that is not AI, no SkuId as a model")
    }

    /// A line costing `perDay` on each of the period's days, in its first hour.
    func line(_ system: String, _ model: String, perDay: Decimal, buckets: Buckets) -> CostLine {
        var cost = [Decimal](repeating: 0, count: buckets.hourCount)
        for day in buckets.days { cost[day.hours.lowerBound] = perDay }
        return CostLine(
            key: UsageKey(gateway: "g", model: model, tokenType: "output", system: system),
            hourlyTokens: cost.map { $0 == 0 ? 0 : 1000 }, hourlyCost: cost, cacheTokensExcluded: 0,
            unpriced: false)
    }

    static let sonnet = "anthropic.claude-sonnet-4-5-20250929-v1:0"
    static let haiku = "us.anthropic.claude-3-5-haiku-20241022-v1:0"

    func testBedrockAmongEC2AndS3ReconcilesOnlyBedrockPerModelAndDay() throws {
        var charges: [FOCUSExport.Charge] = []
        for day in 1...2 {
            charges += [
                FOCUSExport.bedrock(Self.sonnet, "output", cost: "7", day: day),
                FOCUSExport.bedrock(Self.haiku, "input", cost: "1.5", day: day, hour: 3),
                FOCUSExport.bedrock(Self.haiku, "output", cost: "0.5", day: day, hour: 4),
                FOCUSExport.ec2(cost: "0.0416", day: day), FOCUSExport.s3(cost: "0.02", day: day),
            ]
        }
        let invoice = try InvoiceReader.parse(
            Data(FOCUSExport.text(charges).utf8), file: "aws.csv", options: try options())
        XCTAssertEqual(invoice.lines.count, 6)
        XCTAssertEqual(
            Set(invoice.summary.setAside.map(\.service)),
            ["Amazon Elastic Compute Cloud", "Amazon Simple Storage Service"])
        let period = try Period.range(from: "2026-10-01", to: "2026-10-03", in: utc)
        let buckets = Buckets(period: period)
        let result = try Reconciler.reconcile(
            invoices: [invoice],
            lines: [
                line("aws.bedrock", "claude-sonnet-4-5", perDay: 7, buckets: buckets),
                line("aws.bedrock", "claude-3-5-haiku", perDay: 2, buckets: buckets),
            ],
            buckets: buckets, book: try book(), dimensions: dimensions, tolerancePercent: 1)
        XCTAssertEqual(
            result.rows.map { "\($0.provider) \($0.model) \(DateText.day($0.start)) \($0.invoiced) \($0.status)" },
            [
                "aws.bedrock claude-3-5-haiku* 2026-10-01 2 ok", "aws.bedrock claude-3-5-haiku* 2026-10-02 2 ok",
                "aws.bedrock claude-sonnet-4-5* 2026-10-01 7 ok", "aws.bedrock claude-sonnet-4-5* 2026-10-02 7 ok",
            ].sorted())
    }

    func testATokenLineOfNoModelReconcilesItsProviderAsAWholeAndIsNamed() throws {
        var profile = FOCUSExport.bedrock(Self.sonnet, "output", cost: "3", day: 1, hour: 5)
        profile.resource = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3"
        var guardrail = FOCUSExport.bedrock(Self.sonnet, "output", cost: "0.25", day: 1, hour: 6)
        guardrail.resource = "arn:aws:bedrock:us-east-1:123456789012:guardrail/abc"
        guardrail.description = "Guardrails text units"
        guardrail.unit = "Units"
        let charges = [FOCUSExport.bedrock(Self.sonnet, "output", cost: "7", day: 1), profile, guardrail]
        let invoice = try InvoiceReader.parse(
            Data(FOCUSExport.text(charges).utf8), file: "aws.csv", options: try options())
        XCTAssertEqual(invoice.lines.map(\.model), ["claude-sonnet-4-5-20250929", nil, nil], "no SkuId as a model")
        XCTAssertEqual(invoice.lines.map(\.tokenType), ["output", "output", nil])
        let period = try Period.parse("2026-10-01", in: utc)
        let buckets = Buckets(period: period)
        let result = try Reconciler.reconcile(
            invoices: [invoice], lines: [line("aws.bedrock", "claude-sonnet-4-5", perDay: 10, buckets: buckets)],
            buckets: buckets, book: try book(), dimensions: dimensions, tolerancePercent: 1)
        XCTAssertEqual(
            result.rows.map { "\($0.model) \($0.invoiced) \($0.status)" }, [" 0.25 invoiceOnly", "* 10 ok"],
            "the token lines meet the measured models as one group; the guardrail fee is a charge of no model")
        XCTAssertEqual(
            Reconciler.unattributed([invoice], period: period).map(\.message),
            [
                "aws.bedrock is reconciled at the provider level (model *): 1 of its lines name no model that can be "
                    + "told (aws.csv line 3)"
            ])
    }

    func testTheInvoicesEntryNarrowsAndWidensTheSelection() throws {
        var sagemaker = FOCUSExport.ec2(cost: "4", day: 1)
        sagemaker.service = "Amazon SageMaker"
        let text = FOCUSExport.text([FOCUSExport.bedrock(Self.sonnet, "output", cost: "7", day: 1), sagemaker])
        let plain = try InvoiceReader.parse(Data(text.utf8), file: "a.csv", options: try options())
        XCTAssertEqual(plain.lines.map(\.service), ["Amazon Bedrock"])
        let chosen = try InvoiceReader.parse(
            Data(text.utf8), file: "a.csv",
            options: try options(ServiceSelection(include: [Glob("*SageMaker")], exclude: [Glob("Amazon Bedrock")])))
        XCTAssertEqual(chosen.lines.map(\.service), ["Amazon SageMaker"])
        XCTAssertEqual(chosen.lines.map(\.selectedBy), [.option])
        XCTAssertEqual(chosen.summary.setAside.map(\.service), ["Amazon Bedrock"])
        let settings = try BillingSettingsParser.parse(
            try YAMLValue.parse(
                "invoices: [ b.json, { path: a.csv, include: [\"*SageMaker\"], exclude: Amazon Bedrock } ]",
                file: "chargeback.yaml"),
            base: URL(fileURLWithPath: "/etc/cb"))
        XCTAssertEqual(settings.invoices, ["/etc/cb/b.json", "/etc/cb/a.csv"])
        XCTAssertEqual(
            settings.selections["/etc/cb/a.csv"],
            ServiceSelection(include: [Glob("*SageMaker")], exclude: [Glob("Amazon Bedrock")]))
    }

    func testALineOfAnotherServiceNamingAModelIsKeptOnlyIfThatModelWasMeasured() throws {
        var marketplace = FOCUSExport.ec2(cost: "4", day: 1)
        marketplace.service = "AWS Marketplace"
        marketplace.category = "Other"
        marketplace.description = "Usage of llama3-8b-instruct, input tokens"
        let invoice = try InvoiceReader.parse(
            Data(FOCUSExport.text([marketplace, FOCUSExport.ec2(cost: "1", day: 1)]).utf8), file: "m.csv",
            options: try options())
        XCTAssertEqual(invoice.lines.map(\.selectedBy), [.modelName])
        XCTAssertEqual(invoice.lines.map(\.model), ["llama3-8b-instruct"])
        let kept = InvoiceFit.confirm([invoice], measured: ["llama3-8b-instruct"])[0]
        XCTAssertEqual(kept.lines.count, 1)
        let dropped = InvoiceFit.confirm([invoice], measured: ["claude-sonnet-4-5"])[0]
        XCTAssertEqual(dropped.lines, [])
        XCTAssertEqual(
            dropped.summary.setAside.map { "\($0.service) \($0.lines)" },
            ["Amazon Elastic Compute Cloud 1", "AWS Marketplace 1"])
    }

    func testAnotherCurrencyIsConvertedAtTheConfigsRateOrRefusedNamingIt() throws {
        let text = FOCUSExport.text([FOCUSExport.bedrock(Self.sonnet, "output", cost: "10", day: 1)])
            .replacingOccurrences(of: ",USD,", with: ",EUR,")
        let invoice = try InvoiceReader.parse(Data(text.utf8), file: "eu.csv", options: try options())
        let rate = ExchangeRate(from: "EUR", to: "USD", rate: Decimal(string: "1.1")!, date: "2026-09-01", origin: "x")
        let converted = try InvoiceFit.currency([invoice], to: "USD", rates: [rate], period: try october())
        XCTAssertEqual(converted[0].lines.map(\.amount), [11])
        XCTAssertEqual(converted[0].lines.map(\.currency), ["USD"])
        XCTAssertThrowsError(try InvoiceFit.currency([invoice], to: "GBP", rates: [rate], period: try october())) {
            XCTAssertEqual(($0 as? ExitCodeError)?.exitCode, 64)
            XCTAssertTrue($0.localizedDescription.contains("BillingCurrency EUR"), $0.localizedDescription)
        }
    }

    func testModelsAreReadFromARNsDetailsAndTextNeverFromASkuId() {
        XCTAssertEqual(
            CloudCharge.fromResource("arn:aws:bedrock:us-east-1::foundation-model/\(Self.sonnet)"),
            "claude-sonnet-4-5-20250929")
        XCTAssertEqual(
            CloudCharge.fromResource("arn:aws:bedrock:us-east-1:1:inference-profile/\(Self.haiku)"),
            "claude-3-5-haiku-20241022")
        XCTAssertEqual(
            CloudCharge.fromResource("projects/p/locations/us-central1/publishers/google/models/gemini-2.0-flash@001"),
            "gemini-2.0-flash")
        XCTAssertNil(CloudCharge.fromResource("arn:aws:ec2:us-east-1:1:instance/i-0abc"))
        XCTAssertEqual(
            CloudCharge.priceDetails(#"{"x_ModelName": "gpt-4o-2024-08-06", "TokenType": "Cached Input"}"#).model,
            "gpt-4o-2024-08-06")
        XCTAssertEqual(CloudCharge.priceDetails(#"{"TokenType": "Cached Input"}"#).tokenType, "cache_read")
        XCTAssertEqual(CloudCharge.fromText("gpt-4o-mini-0718 Inp glbl Tokens"), "gpt-4o-mini-0718")
        XCTAssertNil(CloudCharge.fromText("$0.0416 per On Demand Linux t3.medium Instance Hour"))
        var fields = CloudCharge.Fields()
        fields.service = "Amazon Bedrock"
        fields.chargeDescription = "Bedrock usage"
        XCTAssertNil(CloudCharge.read(fields).model, "the SkuId is not among the fields read")
    }
}
