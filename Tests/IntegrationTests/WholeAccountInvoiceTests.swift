import ChargebackCore
import Foundation
import TestSupport
import XCTest

/// Whole-account cloud bills against the October 2026 sample: the FinOps Foundation's
/// `focus_sample.csv` (September 2024) as it is and moved into October, and a file mixing Bedrock
/// lines with EC2 and S3 lines.
final class WholeAccountInvoiceTests: XCTestCase {
    let binary = SampleWorld.buildFolder.appendingPathComponent("chargeback").path
    let config = PackagePaths.root.appendingPathComponent("Samples/chargeback.yaml").path
    let sample = PackagePaths.root.appendingPathComponent(
        "Tests/ChargebackCoreTests/Fixtures/FOCUS-Sample-Data/focus_sample.csv")
    var folder = TemporaryFolder("whole-account")

    override func tearDown() { folder.remove() }

    func report(_ extra: [String], world: SampleWorld) throws -> (status: Int32, stdout: String, stderr: String) {
        try SampleWorld.execute(
            binary,
            [
                "report", "--config", config, "--period", "2026-10", "--prometheus-url", world.url,
                "--output", folder.file("out").path, "--format", "markdown",
            ] + extra, environment: [:])
    }

    func testTheFoundationSampleAsItIsExitsZeroAndSaysWhatItIs() throws {
        let world = try SampleWorld.get()
        let run = try report(["--invoice", sample.path], world: world)
        XCTAssertEqual(run.status, 0, run.stderr)
        let markdown = try String(contentsOf: folder.file("out/chargeback-2026-10.md"), encoding: .utf8)
        XCTAssertTrue(
            markdown.contains(
                "- focus_sample.csv (FOCUS CSV): 1000 lines, 2024-09-01 to 2024-10-01; 0 AI lines ($0.00); none in "
                    + "2026-10; 1000 lines (20.52 USD) set aside as not AI"), markdown)
        XCTAssertTrue(markdown.contains("none of its 1000 lines falls in 2026-10"), markdown)
        XCTAssertFalse(markdown.contains("| aws |"), "no reconciliation row for a cloud line")
        let refused = try report(["--invoice", sample.path, "--basis", "invoice"], world: world)
        XCTAssertEqual(refused.status, 64)
        XCTAssertTrue(refused.stderr.contains("focus_sample.csv"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("2024-09-01 to 2024-10-01"), refused.stderr)
    }

    func testTheSampleMovedIntoOctoberMakesNoRowAndStatesTheSetAsidePerService() async throws {
        let world = try SampleWorld.get()
        let shifted = try String(contentsOf: sample, encoding: .utf8)
            .replacingOccurrences(of: "2024-10-01", with: "2026-11-01")
            .replacingOccurrences(of: "2024-09-", with: "2026-10-")
        let path = try folder.write("shifted.csv", shifted)
        let report = try await BackendReport.build(url: world.url) { $0.billing.invoices = [path] }
        let result = report.invoiceReconciliation
        XCTAssertEqual(result.rows, [], "\(result.rows.prefix(3))")
        let invoice = try XCTUnwrap(result.invoices.first)
        XCTAssertEqual(invoice.summary.linesInPeriod, 1000)
        let markdown = try render(report)
        for line in [
            "  - set aside as not AI: Amazon Elastic Compute Cloud, 554 lines, 16.04 USD",
            "  - set aside as not AI: Azure Machine Learning, 9 lines, -0.15 USD",
            "  - set aside as not AI: Elastic Load Balancing, 97 lines,",
        ] {
            XCTAssertTrue(markdown.contains(line), "\(line)\n\(markdown)")
        }
    }

    func testBedrockAmongEC2AndS3ReconcilesOnlyBedrockPerModelAndDay() async throws {
        let world = try SampleWorld.get()
        var charges: [FOCUSExport.Charge] = []
        for day in [3, 4] {
            for hour in [1, 9] {
                charges += [
                    FOCUSExport.bedrock(
                        "anthropic.claude-sonnet-4-5-20250929-v1:0", "output", cost: "2", day: day, hour: hour),
                    FOCUSExport.bedrock(
                        "anthropic.claude-3-5-haiku-20241022-v1:0", "input", cost: "1", day: day, hour: hour),
                    FOCUSExport.ec2(cost: "0.0416", day: day, hour: hour),
                    FOCUSExport.s3(cost: "0.02", day: day, hour: hour),
                ]
            }
        }
        let path = try folder.write("aws.csv", FOCUSExport.text(charges))
        let report = try await BackendReport.build(url: world.url) { $0.billing.invoices = [path] }
        let rows = report.invoiceReconciliation.rows
        XCTAssertEqual(
            rows.map { "\($0.provider) \($0.model) \(DateText.day($0.start)) \(DateText.day($0.end)) \($0.invoiced)" },
            [
                "aws.bedrock claude-3-5-haiku* 2026-10-03 2026-10-04 2",
                "aws.bedrock claude-3-5-haiku* 2026-10-04 2026-10-05 2",
                "aws.bedrock claude-sonnet-4-5* 2026-10-03 2026-10-04 4",
                "aws.bedrock claude-sonnet-4-5* 2026-10-04 2026-10-05 4",
            ])
        XCTAssertTrue(rows.allSatisfy { $0.status == .invoiceOnly }, "the sample measures no Bedrock")
        let invoice = try XCTUnwrap(report.invoiceReconciliation.invoices.first)
        XCTAssertEqual(
            invoice.summary.setAside.map { "\($0.service) \($0.lines)" },
            ["Amazon Elastic Compute Cloud 4", "Amazon Simple Storage Service 4"])
    }

    func testAnInvoiceInACurrencyNoRateCoversExitsSixtyFourBeforeAnyFetch() throws {
        let charge = FOCUSExport.bedrock("anthropic.claude-sonnet-4-5-20250929-v1:0", "output", cost: "2", day: 3)
        let path = try folder.write(
            "eu.csv", FOCUSExport.text([charge]).replacingOccurrences(of: ",USD,", with: ",CHF,"))
        // A closed port: the refusal comes from the invoice, before Prometheus is asked anything.
        let run = try SampleWorld.execute(
            binary,
            [
                "report", "--config", config, "--period", "2026-10", "--output", folder.file("out").path,
                "--prometheus-url", "http://127.0.0.1:\(try ClosedPort.find())", "--invoice", path,
            ], environment: [:])
        XCTAssertEqual(run.status, 64, run.stderr)
        XCTAssertTrue(run.stderr.contains("eu.csv"), run.stderr)
        XCTAssertTrue(run.stderr.contains("BillingCurrency CHF"), run.stderr)
    }

    func render(_ report: Report) throws -> String {
        let request = ReportRequest(
            period: report.period, formats: [.markdown], hourly: false, outputDirectory: folder.file("md"),
            commandLine: [], now: BackendReport.now)
        let outcome = try ReportPipeline.write(report, request, diagnostics: DiagnosticCollector())
        let file = try XCTUnwrap(outcome.files.first { $0.pathExtension == "md" })
        return try String(contentsOf: file, encoding: .utf8)
    }
}
