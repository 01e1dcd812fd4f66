import Logging
import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// The cost APIs' pages: the documented examples read by the invoice parsers, the pagination
/// fields, the requests' parameters and ranges, and one fetch against a local server.
final class CostAPIPageTests: XCTestCase {
    let utc = TimeZone(identifier: "UTC")!

    /// The Anthropic reference's example answer ("Get Cost Report", docs.anthropic.com), as documented.
    static let anthropicExample = """
        {"data": [{"starting_at": "2025-08-01T00:00:00Z", "ending_at": "2025-08-02T00:00:00Z",
          "results": [{"currency": "USD", "amount": "123.78912", "workspace_id": "wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ",
            "description": "Claude Sonnet 4 Usage - Input Tokens", "cost_type": "tokens", "context_window": "0-200k",
            "model": "claude-sonnet-4-20250514", "service_tier": "standard", "token_type": "uncached_input_tokens"}]}],
         "has_more": true, "next_page": "page_MjAyNS0wNS0xNFQwMDowMDowMFo="}
        """

    /// The OpenAI reference's example answer ("Costs"), with a `line_item` as `group_by=line_item` gives.
    static let openaiExample = """
        {"object": "page", "data": [{"object": "bucket", "start_time": 1730419200, "end_time": 1730505600,
          "results": [{"object": "organization.costs.result", "amount": {"value": 0.06, "currency": "usd"},
            "line_item": "gpt-4o-2024-08-06, input", "project_id": "proj_abc"}]}],
         "has_more": false, "next_page": null}
        """

    func testTheDocumentedExamplesReadAsInvoiceLines() throws {
        let anthropic = try InvoiceReader.parse(Data(Self.anthropicExample.utf8), file: "anthropic-page-1.json")
        XCTAssertEqual(anthropic.format, .anthropic)
        XCTAssertEqual(anthropic.lines.count, 1)
        let line = try XCTUnwrap(anthropic.lines.first)
        XCTAssertEqual(line.amount, Decimal(string: "1.2378912"), "123.78912 cents")
        XCTAssertEqual(line.model, "claude-sonnet-4-20250514")
        XCTAssertEqual(line.start, DateText.parseInstant("2025-08-01T00:00:00Z"))
        XCTAssertEqual(line.end, DateText.parseInstant("2025-08-02T00:00:00Z"))
        XCTAssertTrue(line.description.contains("input"), line.description)
        let openai = try InvoiceReader.parse(Data(Self.openaiExample.utf8), file: "openai-page-1.json")
        XCTAssertEqual(openai.format, .openai)
        XCTAssertEqual(openai.lines.map(\.amount), [Decimal(string: "0.06")!])
        XCTAssertEqual(openai.lines.map(\.model), ["gpt-4o-2024-08-06"])
        XCTAssertEqual(openai.lines.map(\.currency), ["USD"])
        XCTAssertEqual(openai.lines.first?.start, Date(timeIntervalSince1970: 1_730_419_200))
    }

    func testWholeNumberAmountsAreNumbersAndBooleansAreNot() throws {
        func page(_ value: String) -> Data {
            Data(
                (#"{"object": "page", "data": [{"object": "bucket", "start_time": 1790812800, "end_time": 1790899200, "#
                    + #""results": [{"amount": {"value": \#(value), "currency": "usd"}, "line_item": "gpt-4o, input"}]}], "#
                    + #""has_more": false, "next_page": null}"#).utf8)
        }
        for (value, amount) in [("1", "1"), ("0", "0"), ("12", "12"), ("0.5", "0.5")] {
            XCTAssertEqual(
                try InvoiceReader.parse(page(value), file: "o.json").lines.map(\.amount), [Decimal(string: amount)!],
                value)
        }
        XCTAssertThrowsError(try InvoiceReader.parse(page("true"), file: "o.json")) { error in
            XCTAssertTrue("\(error)".contains("amount.value: expected a number"), "\(error)")
        }
    }

    func testAPageWithoutBucketsIsStillTold() throws {
        let anthropic = try InvoiceReader.parse(
            Data(#"{"data": [], "has_more": false, "next_page": null}"#.utf8), file: "a.json")
        XCTAssertEqual(anthropic.format, .anthropic)
        XCTAssertEqual(anthropic.lines, [])
        let openai = try InvoiceReader.parse(
            Data(#"{"object": "page", "data": [], "has_more": false, "next_page": null}"#.utf8), file: "o.json")
        XCTAssertEqual(openai.format, .openai)
        XCTAssertThrowsError(try InvoiceReader.parse(Data(#"{"data": []}"#.utf8), file: "x.json"))
    }

    func testPaginationFieldsAreChecked() throws {
        struct Bad: Error { let detail: String }
        func next(_ text: String) throws -> String? {
            try CostAPIClient.next(Data(text.utf8), page: 1) { Bad(detail: $0) }
        }
        XCTAssertEqual(try next(Self.anthropicExample), "page_MjAyNS0wNS0xNFQwMDowMDowMFo=")
        XCTAssertNil(try next(Self.openaiExample))
        for (text, expected) in [
            ("not json", "not JSON"), ("[1]", "expected a JSON object"),
            (#"{"has_more": false}"#, "data: expected a list"),
            (#"{"data": [], "has_more": "no"}"#, "has_more: expected true or false"),
            (#"{"data": [], "has_more": true, "next_page": null}"#, "next_page: expected a token"),
            (#"{"data": [], "has_more": true, "next_page": ""}"#, "next_page: expected a token"),
        ] {
            XCTAssertThrowsError(try next(text), text) { error in
                XCTAssertTrue((error as? Bad)?.detail.contains(expected) == true, "\(text): \(error)")
            }
        }
    }

    func testRequestsAskForWholeUTCDaysWithTheDocumentedParameters() throws {
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        let october = try Period.parse("2026-10", in: berlin, now: DateText.parseInstant("2026-12-01T00:00:00Z")!)
        let days = CostAPIRequest.days(of: october, now: DateText.parseInstant("2026-12-01T00:00:00Z")!)
        XCTAssertEqual(DateText.utc(days.from), "2026-09-30T00:00:00Z", "Berlin's October starts 2026-09-30T22:00Z")
        XCTAssertEqual(DateText.utc(days.to), "2026-11-01T00:00:00Z", "and ends 2026-10-31T23:00Z")
        let running = CostAPIRequest.days(
            of: try Period.parse("2026-10", in: utc, now: .distantFuture),
            now: DateText.parseInstant("2026-10-15T10:30:00Z")!)
        XCTAssertEqual(DateText.utc(running.to), "2026-10-16T00:00:00Z", "a running period up to today's end")
        let base = URL(string: "https://proxy.example/costs")!
        let anthropic = CostAPIRequest(provider: .anthropic, base: base, from: days.from, to: days.to)
        XCTAssertEqual(
            anthropic.url(page: "page_MjAy=="),
            "https://proxy.example/costs/v1/organizations/cost_report?starting_at=2026-09-30T00%3A00%3A00Z"
                + "&ending_at=2026-11-01T00%3A00%3A00Z&bucket_width=1d&group_by%5B%5D=description&limit=31"
                + "&page=page_MjAy%3D%3D")
        XCTAssertEqual(
            anthropic.headers(key: "k").filter { $0.0 != "User-Agent" }.map { "\($0.0): \($0.1)" },
            ["Accept: application/json", "x-api-key: k", "anthropic-version: 2023-06-01"])
        let openai = CostAPIRequest(provider: .openai, base: base, from: days.from, to: days.to)
        XCTAssertEqual(
            openai.url(page: nil),
            "https://proxy.example/costs/v1/organization/costs?start_time=1790726400&end_time=1793491200"
                + "&bucket_width=1d&group_by=line_item&limit=180")
        XCTAssertEqual(openai.headers(key: "k").last.map { "\($0.0): \($0.1)" }, "Authorization: Bearer k")
    }

    /// Three pages from a local server, after a 429 and a 503; then a 401 whose body echoes the key.
    func testAFetchFollowsEveryPageAndRetriesWhatIsWorthRetrying() async throws {
        let folder = TemporaryFolder("cb-cost-api")
        defer { folder.remove() }
        let api = try await FakeCostAPI(.openai, answer: Data(Self.month.utf8), key: "sk-admin-unit", pageSize: 2)
        api.fault(.status(429, headers: [("Retry-After", "0")]), at: 0)
        api.fault(.status(503, headers: []), at: 2)
        var source = InvoiceSource(provider: .openai, key: .environment("KEY"), url: URL(string: api.url)!)
        source.retries = 2
        let week = Period(
            label: "w", start: DateText.parseInstant("2026-10-01T00:00:00Z")!,
            end: DateText.parseInstant("2026-10-06T00:00:00Z")!, timeZone: utc)
        let fetched = try await InvoiceFetching.fetch(
            source, period: week, now: .distantFuture, folder: "invoices/", logger: Logger(label: "test"),
            backoffBase: 0.01, environment: ["KEY": "sk-admin-unit"])
        XCTAssertEqual(fetched.pages.map(\.file), (1...3).map { "invoices/openai-w-page-\($0).json" })
        XCTAssertEqual(api.requests.count, 5, "three pages, two retries")
        XCTAssertEqual(fetched.invoices.flatMap(\.lines).count, 5)
        XCTAssertEqual(fetched.totals, ["USD": Decimal(string: "15")!], "1 + 2 + 3 + 4 + 5")
        XCTAssertEqual(fetched.invoices.map(\.sha256), fetched.pages.map(\.sha256))
        do {
            _ = try await InvoiceFetching.fetch(
                source, period: week, now: .distantFuture, folder: "", logger: Logger(label: "test"),
                backoffBase: 0.01, environment: ["KEY": "sk-admin-wrong"])
            XCTFail("a wrong key is refused")
        } catch let error as InvoiceFetchError {
            let text = error.errorDescription ?? ""
            XCTAssertTrue(text.contains("refused the admin key from the environment variable KEY (HTTP 401"), text)
            XCTAssertFalse(text.contains("sk-admin-wrong"), text)
            XCTAssertEqual(error.exitCode, 1)
        }
        do {
            _ = try await InvoiceFetching.fetch(
                source, period: week, now: .distantFuture, folder: "", logger: Logger(label: "test"),
                environment: [:])
            XCTFail("a missing key is an input problem")
        } catch let error as FetchError {
            XCTAssertEqual(error.exitCode, 64)
        }
        await api.stop()
    }

    func testPagesBeyondTheNewCountAreRemovedAndNoOthers() throws {
        let folder = TemporaryFolder("cb-stale-pages")
        defer { folder.remove() }
        let names =
            (1...6).map { "invoices/anthropic-2026-10-page-\($0).json" } + [
                "invoices/anthropic-2026-09-page-5.json", "invoices/openai-2026-10-page-5.json",
                "invoices/anthropic-2026-10-page-x.json", "chargeback-2026-10.md",
            ]
        for name in names { try folder.write(name, "{}") }
        InvoiceFetching.removeStalePages(in: folder.url, stem: "invoices/anthropic-2026-10", keeping: 4)
        let left = names.filter { FileManager.default.fileExists(atPath: folder.file($0).path) }
        XCTAssertEqual(
            left,
            names.filter {
                !["page-5.json", "page-6.json"].contains(String($0.suffix(11))) || !$0.contains("anthropic-2026-10")
            })
        XCTAssertEqual(left.count, names.count - 2, "pages 5 and 6 of anthropic-2026-10 went, nothing else")
    }

    /// Five daily OpenAI buckets costing 1 to 5 dollars.
    static let month: String = {
        let buckets = (0..<5).map { day in
            let start = 1_790_812_800 + day * 86400
            return #"{"object": "bucket", "start_time": \#(start), "end_time": \#(start + 86400), "results": "#
                + #"[{"object": "organization.costs.result", "amount": {"value": \#(day + 1), "currency": "usd"}, "#
                + #""line_item": "gpt-4o-2024-08-06, output", "project_id": null}]}"#
        }
        return #"{"object": "page", "data": ["# + buckets.joined(separator: ", ")
            + #"], "has_more": false, "next_page": null}"#
    }()
}
