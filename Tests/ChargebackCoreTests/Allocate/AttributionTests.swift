import XCTest

@testable import ChargebackModel

/// ``Attribution``: the counters' tokens of each cell split among the request log's identities.
final class AttributionTests: XCTestCase {
    let utc = TimeZone(identifier: "UTC")!
    var buckets: Buckets { Buckets(period: try! Period.range(from: "2026-10-01", to: "2026-10-02", in: utc)) }

    func key(_ gateway: String, _ type: String = "input", extras: [String] = []) -> UsageKey {
        UsageKey(gateway: gateway, model: "m", tokenType: type, system: "anthropic", extras: extras)
    }

    func row(
        _ hour: Int, _ gateway: String?, _ who: String?, input: Int64, output: Int64 = 0, tail: Int64 = 0,
        request: String? = "m", response: String? = nil
    ) -> RequestLogRow {
        RequestLogRow(
            hour: hour, gateway: gateway, requestModel: request, responseModel: response, identity: who,
            tokens: [input, output, 0, 0], tail: [tail, 0, 0, 0])
    }

    func hours(_ values: [Int: Int64]) -> [Int64] {
        (0..<24).map { values[$0] ?? 0 }
    }

    func apply(_ tokens: [UsageKey: [Int64]], _ rows: [RequestLogRow], match: AttributionMatch = .gateway)
        -> AttributedUsage
    {
        Attribution.apply(
            tokens: tokens, newerBuilds: [:], rows: rows, labels: LabelNames(), match: match, buckets: buckets)
    }

    func testIdentitiesGetTheirLoggedTokensAndTheRestIsUnattributed() {
        let result = apply(
            [key("gw1"): hours([3: 1000])],
            [row(3, "gw1", "ann", input: 300), row(3, "gw1", "bob", input: 600), row(3, "gw1", nil, input: 10)])
        XCTAssertEqual(result.tokens[key("gw1", extras: ["ann"])]?[3], 300)
        XCTAssertEqual(result.tokens[key("gw1", extras: ["bob"])]?[3], 600)
        XCTAssertEqual(
            result.tokens[key("gw1", extras: [""])]?[3], 10, "a record without a user is logged, not unattributed")
        XCTAssertEqual(result.tokens[key("gw1", extras: [Attribution.unattributed])]?[3], 90)
        XCTAssertEqual(result.tokens.values.reduce(0) { $0 + $1.reduce(0, +) }, 1000)
        XCTAssertEqual(result.coverage.map(\.percent), [91])
        XCTAssertEqual(result.diagnostics, [])
    }

    func testMoreLoggedThanCountedSplitsTheCountedInProportionWithWholeTokens() {
        // The last minute's 200 tokens were counted in the next hour (a scrape after the hour's end).
        let result = apply(
            [key("gw1"): hours([3: 1000, 4: 1200])],
            [
                row(3, "gw1", "ann", input: 400, tail: 0), row(3, "gw1", "bob", input: 801, tail: 200),
                row(4, "gw1", "ann", input: 1000),
            ])
        XCTAssertEqual(result.tokens[key("gw1", extras: ["ann"])]?[3], 333)
        XCTAssertEqual(result.tokens[key("gw1", extras: ["bob"])]?[3], 667)
        XCTAssertEqual(result.tokens[key("gw1", extras: [Attribution.unattributed])]?[3], 0)
        XCTAssertEqual(result.tokens[key("gw1", extras: [Attribution.unattributed])]?[4], 200)
        // 1,201 logged against 1,000 counted, 200 of them in the last scrape interval: 1 token beyond it.
        XCTAssertEqual(result.diagnostics.count, 1)
        XCTAssertTrue(result.diagnostics[0].message.hasPrefix("the request log has 1 input tokens of gateway 'gw1'"))
    }

    func testRecordsTheCountersDoNotHaveAndCountersTheLogLacksAreNamed() {
        let result = apply(
            [key("gw1"): hours([1: 500]), key("gw1", "output"): hours([1: 70])],
            [row(1, "gw1", "ann", input: 500), row(2, "ghost", "ann", input: 40)])
        XCTAssertEqual(
            result.diagnostics.map(\.message),
            [
                "the counters have 70 output tokens of gateway 'gw1', model 'm' and the request log none: they are "
                    + "unattributed",
                "the request log has 40 input tokens of gateway 'ghost', model 'm' in 1 hours that the counters do not "
                    + "have; they are left out",
            ])
        XCTAssertEqual(result.tokens[key("gw1", "output", extras: [Attribution.unattributed])]?[1], 70)
    }

    func testSeveralKeysOfACellAreSplitAlikeAndMatchingByModelPoolsGateways() {
        // Two routes of gw1, and gw2: matched by model, one cell of 1,000 + 1,000 + 2,000 tokens.
        let a = key("gw1", extras: ["r1"])
        let b = key("gw1", extras: ["r2"])
        let c = key("gw2", extras: ["r1"])
        let result = apply(
            [a: hours([0: 1000]), b: hours([0: 1000]), c: hours([0: 2000])],
            [row(0, "elsewhere", "ann", input: 1000), row(0, nil, "bob", input: 3000)], match: .model)
        XCTAssertEqual(result.tokens[key("gw1", extras: ["r1", "ann"])]?[0], 250)
        XCTAssertEqual(result.tokens[key("gw1", extras: ["r1", "bob"])]?[0], 750)
        XCTAssertEqual(result.tokens[key("gw2", extras: ["r1", "ann"])]?[0], 500)
        XCTAssertEqual(result.tokens[key("gw2", extras: ["r1", "bob"])]?[0], 1500)
        XCTAssertEqual(result.coverage.map(\.gateway), [AttributionMatch.allGateways])
        XCTAssertEqual(result.coverage.first?.counted, 4000)
    }

    func testTheModelColumnFollowsTheCountersModelLabel() {
        var labels = LabelNames()
        let record = row(0, "gw", "ann", input: 1, request: "claude", response: "claude-2026")
        XCTAssertEqual(record.cell(labels: labels, match: .gateway).model, "claude")
        labels.model = "gen_ai_response_model"
        XCTAssertEqual(record.cell(labels: labels, match: .gateway).model, "claude-2026")
        let unanswered = row(0, nil, "ann", input: 1, request: "claude", response: nil)
        labels.modelFallback = "gen_ai_request_model"
        XCTAssertEqual(unanswered.cell(labels: labels, match: .gateway).model, "claude")
        XCTAssertEqual(unanswered.cell(labels: labels, match: .gateway).gateway, "unknown")
    }

    func testSplitIsWholeAndExact() {
        XCTAssertEqual(Attribution.split(10, by: [1, 1, 1]), [4, 3, 3])
        XCTAssertEqual(Attribution.split(1000, by: [400, 801]), [333, 667])
        XCTAssertEqual(Attribution.split(7, by: [0, 0]), [0, 0])
        XCTAssertEqual(
            Attribution.split(Int64.max / 2, by: [Int64.max / 3, Int64.max / 3]).reduce(0, +), Int64.max / 2)
    }
}
