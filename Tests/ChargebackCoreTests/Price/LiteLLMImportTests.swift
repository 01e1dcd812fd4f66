import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

final class LiteLLMImportTests: XCTestCase {
    let json = """
        {
          "sample_spec": { "input_cost_per_token": 0, "mode": "chat" },
          "claude-3-5-haiku-20241022": { "input_cost_per_token": 8e-07, "output_cost_per_token": 4e-06,
            "cache_read_input_token_cost": 8e-08, "cache_creation_input_token_cost": 1e-06, "mode": "chat",
            "litellm_provider": "anthropic" },
          "gpt-4o-2024-08-06": { "input_cost_per_token": 2.5e-06, "output_cost_per_token": 1e-05,
            "cache_read_input_token_cost": 1.25e-06, "mode": "chat" },
          "text-embedding-3-small": { "input_cost_per_token": 2e-08, "mode": "embedding" }
        }
        """

    func testConvertsPerTokenToPerMillionExactlyAndParsesAsAPriceBook() throws {
        let yaml = try LiteLLMImport.yaml(from: Data(json.utf8), file: "prices.json", from: "2025-10-01")
        XCTAssertTrue(yaml.contains(#"- match: "claude-3-5-haiku-20241022""#), yaml)
        XCTAssertTrue(
            yaml.contains("{ from: 2025-10-01, input: 0.8, output: 4, cache_read: 0.08, cache_write: 1 }"), yaml)
        XCTAssertTrue(yaml.contains("{ from: 2025-10-01, input: 2.5, output: 10, cache_read: 1.25 }"), yaml)
        XCTAssertFalse(yaml.contains("embedding"), "only chat models")
        XCTAssertFalse(yaml.contains("sample_spec"))
        let book = try PriceBookParser.parse(YAMLValue.parse(yaml, file: "pricing.yaml"))
        XCTAssertEqual(book.models.count, 2)
        XCTAssertEqual(
            book.price(model: "gpt-4o-2024-08-06", at: DateText.parseInstant("2026-11-01T00:00:00Z")!)?.cacheRead,
            Decimal(string: "1.25"))
    }

    func testFilterAndBadInput() throws {
        let yaml = try LiteLLMImport.yaml(
            from: Data(json.utf8), file: "p.json", from: "2025-10-01", only: Glob("gpt-*"))
        XCTAssertFalse(yaml.contains("claude"))
        XCTAssertThrowsError(try LiteLLMImport.yaml(from: Data("[1,2]".utf8), file: "p.json", from: "2025-10-01")) {
            error in
            XCTAssertEqual((error as? InputError)?.file, "p.json")
        }
    }
}
