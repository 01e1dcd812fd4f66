import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// Prices matched by labels besides the model: provider, gateway, route.
final class LabelPricesTests: XCTestCase {
    let utc = TimeZone(identifier: "UTC")!

    static let pricing = """
        models:
          - match: { model: "claude-sonnet-*", system: aws.bedrock }
            prices: [ { from: 2026-01-01, input: 3.30, output: 16.50 } ]
          - match: { model: "claude-sonnet-*", route: batch }
            prices: [ { from: 2026-01-01, input: 1.50, output: 7.50 } ]
          - match: "claude-sonnet-*"
            prices: [ { from: 2026-01-01, input: 3, output: 15 } ]
        """

    func book(_ text: String = pricing) throws -> PriceBook {
        try PriceBookParser.parse(try YAMLValue.parse(text, file: "pricing.yaml"))
    }

    func testFirstEntryWhoseModelAndLabelsAllMatchPricesTheUsage() throws {
        let book = try book()
        XCTAssertEqual(book.extraLabelKeys, ["route"], "system is logical; route must be fetched")
        let dimensions = UsageDimensions(labels: LabelNames(), extraLabels: book.extraLabelKeys)
        let buckets = Buckets(period: try Period.parse("2026-10-01", in: utc))
        func key(_ system: String, _ route: String) -> UsageKey {
            UsageKey(gateway: "g", model: "claude-sonnet-4-5", tokenType: "output", system: system, extras: [route])
        }
        var hours = [Int64](repeating: 0, count: buckets.hourCount)
        hours[2] = 1_000_000
        let usage = [
            key("aws.bedrock", "batch"): hours, key("anthropic", "batch"): hours,
            key("anthropic", "chat"): hours,
        ]
        let lines = try Pricing.price(
            usage: usage, buckets: buckets, book: book, metrics: MetricSettings(),
            dimensions: dimensions, pricingFile: "pricing.yaml"
        ).lines
        let cost = Dictionary(uniqueKeysWithValues: lines.map { ("\($0.key.system)/\($0.key.extras[0])", $0.cost) })
        // Bedrock wins over the batch route because it comes first; plain Anthropic falls to the model glob.
        XCTAssertEqual(cost["aws.bedrock/batch"], Decimal(string: "16.5"))
        XCTAssertEqual(cost["anthropic/batch"], Decimal(string: "7.5"))
        XCTAssertEqual(cost["anthropic/chat"], 15)
    }

    func testAPlainModelGlobStillMatchesWhateverTheLabels() throws {
        let book = try book("models:\n  - match: \"gpt-*\"\n    prices: [ { from: 2026-01-01, input: 2 } ]\n")
        XCTAssertEqual(book.models[0].labels, [:])
        XCTAssertNotNil(book.entry(for: "gpt-4o") { _ in "anything" })
        XCTAssertNil(book.entry(for: "claude-x"))
    }

    func testAMatchMapWithoutModelMatchesEveryModelOfThoseLabels() throws {
        let book = try book("models:\n  - match: { gateway: gw2 }\n    prices: [ { from: 2026-01-01, input: 2 } ]\n")
        XCTAssertNotNil(book.entry(for: "any-model") { $0 == "gateway" ? "gw2" : "" })
        XCTAssertNil(book.entry(for: "any-model") { $0 == "gateway" ? "gw1" : "" })
    }

    func testBadMatchMapsNameTheLine() throws {
        for (text, expected) in [
            ("models:\n  - match: {}\n    prices: [ { from: 2026-01-01, input: 2 } ]\n", "needs at least one label"),
            (
                "models:\n  - match: { \"bad-label\": x }\n    prices: [ { from: 2026-01-01, input: 2 } ]\n",
                "not a label name"
            ),
            (
                "models:\n  - match: { model: \"\" }\n    prices: [ { from: 2026-01-01, input: 2 } ]\n",
                "must not be empty"
            ),
        ] {
            XCTAssertThrowsError(try book(text), text) { error in
                let message = (error as? InputError)?.errorDescription ?? "\(error)"
                XCTAssertTrue(message.contains(expected), message)
                XCTAssertTrue(message.contains("pricing.yaml:"), message)
            }
        }
    }
}
