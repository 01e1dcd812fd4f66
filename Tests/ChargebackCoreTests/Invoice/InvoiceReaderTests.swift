import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

final class InvoiceReaderTests: XCTestCase {
    static let anthropic = """
        {"data": [{"starting_at": "2026-10-01T00:00:00Z", "ending_at": "2026-10-02T00:00:00Z", "results": [
          {"amount": "12345.5", "currency": "USD", "description": "Claude API Usage", "model": "claude-sonnet-4-5-20250929",
           "token_type": "cache_creation.ephemeral_1h_input_tokens", "context_window": "200k-1M", "service_tier": "batch",
           "cost_type": "tokens", "workspace_id": null},
          {"amount": "100", "currency": "USD", "description": null, "model": null, "token_type": null,
           "context_window": null, "service_tier": null, "cost_type": "web_search", "workspace_id": null}]}],
         "has_more": false, "next_page": null}
        """

    static let openai = """
        {"object": "page", "data": [{"object": "bucket", "start_time": 1790812800, "end_time": 1790899200, "results": [
          {"object": "organization.costs.result", "amount": {"value": 0.06, "currency": "usd"},
           "line_item": "gpt-4o-2024-08-06, input", "project_id": null}]}], "has_more": false, "next_page": null}
        """

    static let focus = """
        BilledCost,BillingCurrency,ChargeCategory,ChargeDescription,ChargePeriodEnd,ChargePeriodStart,ProviderName,ServiceName,x_Model
        1.250000,USD,Usage,"Claude, on Bedrock",2026-10-02T00:00:00Z,2026-10-01T00:00:00Z,AWS,Amazon Bedrock,anthropic.claude-sonnet-4-5
        0.5,USD,Usage,input,2026-10-02T00:00:00Z,2026-10-01T00:00:00Z,Microsoft,Azure OpenAI,gpt-4o

        """

    func parse(_ text: String, _ file: String) throws -> Invoice {
        try InvoiceReader.parse(Data(text.utf8), file: file)
    }

    func testAnthropicCostReportAmountsAreCentsAndSayWhatTheyAre() throws {
        let invoice = try parse(Self.anthropic, "anthropic.json")
        XCTAssertEqual(invoice.format, .anthropic)
        XCTAssertEqual(invoice.lines.map(\.amount), [Decimal(string: "123.455")!, 1])
        XCTAssertEqual(invoice.lines[0].model, "claude-sonnet-4-5-20250929")
        XCTAssertEqual(invoice.lines[0].description, "Claude API Usage, 1h cache writes, 200k-1M context, batch tier")
        XCTAssertEqual(invoice.lines[1].model, nil)
        XCTAssertEqual(invoice.lines[1].description, "web_search")
        XCTAssertEqual(invoice.lines[0].record, "data[0].results[0]")
        XCTAssertEqual(invoice.lines[0].start, DateText.parseInstant("2026-10-01T00:00:00Z"))
        XCTAssertEqual(invoice.sha256.count, 64)
    }

    func testOpenAICostsAndFOCUSRows() throws {
        let openai = try parse(Self.openai, "openai.json")
        XCTAssertEqual(openai.format, .openai)
        XCTAssertEqual(openai.lines.map(\.amount), [Decimal(string: "0.06")!])
        XCTAssertEqual(openai.lines[0].model, "gpt-4o-2024-08-06")
        XCTAssertEqual(openai.lines[0].currency, "USD")
        XCTAssertEqual(openai.lines[0].end.timeIntervalSince(openai.lines[0].start), 86_400)
        let focus = try parse(Self.focus, "focus.csv")
        XCTAssertEqual(focus.format, .focus)
        XCTAssertEqual(focus.lines.map(\.provider), ["aws.bedrock", "azure.openai"])
        XCTAssertEqual(focus.lines.map(\.amount), [Decimal(string: "1.25")!, Decimal(string: "0.5")!])
        XCTAssertEqual(focus.lines[0].description, "Usage: Claude, on Bedrock")
        XCTAssertEqual(focus.lines[1].record, "line 3")
    }

    func testMalformedInvoicesNameFileRecordAndField() {
        let cases: [(String, String, String)] = [
            (
                Self.anthropic.replacingOccurrences(of: "\"12345.5\"", with: "12345.5"), "a.json",
                "a.json: data[0].results[0].amount: expected a decimal string"
            ),
            (
                Self.anthropic.replacingOccurrences(of: "\"2026-10-02T00:00:00Z\"", with: "\"yesterday\""), "a.json",
                "a.json: data[0].ending_at"
            ),
            (
                Self.openai.replacingOccurrences(of: "0.06", with: "\"0.06\""), "o.json",
                "o.json: data[0].results[0].amount.value"
            ),
            (Self.focus.replacingOccurrences(of: "0.5,USD", with: "half,USD"), "f.csv", "f.csv:3:1: column BilledCost"),
            (
                Self.focus.replacingOccurrences(of: "0.5,USD,Usage", with: "0.5,US Dollars,Usage"), "f.csv",
                "f.csv:3:2: column BillingCurrency"
            ),
            (
                Self.focus.replacingOccurrences(of: "\"Claude, on Bedrock\"", with: "\"Claude"), "f.csv",
                "f.csv:2: a quoted field"
            ),
            ("{\"data\": [{\"when\": 1}]}", "x.json", "x.json: JSON that is neither"),
            ("hello,world\n1,2\n", "x.csv", "x.csv:1: not a FOCUS CSV"),
            ("{\"data\": [", "x.json", "x.json: not valid JSON"),
        ]
        for (text, file, expected) in cases {
            XCTAssertThrowsError(try parse(text, file), expected) { error in
                let message = (error as? InputError)?.errorDescription ?? "\(error)"
                XCTAssertTrue(message.hasPrefix(expected), "\(message) does not start with \(expected)")
                XCTAssertEqual((error as? ExitCodeError)?.exitCode, 64)
            }
        }
    }
}
