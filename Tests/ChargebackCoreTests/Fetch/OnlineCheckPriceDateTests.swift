import Foundation
import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// `validate --online` sees what `report` will refuse: usage of a model before its first price.
final class OnlineCheckPriceDateTests: XCTestCase {
    private var server: FakePrometheus?

    override func tearDown() async throws {
        await server?.stop()
    }

    static func instant(_ text: String) -> Date { DateText.parseInstant(text)! }

    /// Sonnet is priced only from 2026-10-10; haiku since 2024.
    static func config(_ url: String) throws -> ChargebackConfig {
        let book = PriceBook(
            currency: "USD",
            models: [
                ModelPricing(
                    match: Glob("claude-sonnet-4-5*"),
                    prices: [
                        PricePoint(
                            from: instant("2026-10-10T00:00:00Z"), input: 3, output: 15, cacheRead: nil, cacheWrite: nil
                        )
                    ]),
                ModelPricing(
                    match: Glob("claude-3-5-haiku*"),
                    prices: [
                        PricePoint(
                            from: instant("2024-11-04T00:00:00Z"), input: Decimal(string: "0.80")!, output: 4,
                            cacheRead: nil, cacheWrite: nil)
                    ]),
            ], unpriced: .error)
        let teams = TeamBook(
            teams: [Team(name: "Search")],
            rules: [TeamRule(match: ["gateway": Glob("*")], action: .team("Search"), origin: "teams.yaml:5")],
            unallocated: .report)
        return ChargebackConfig(
            prometheus: try FakeClient.settings(url), metrics: MetricSettings(), pricing: book,
            teams: teams, timeZone: TimeZone(identifier: "UTC")!, thresholds: Thresholds(),
            gapFactor: 1.5, files: [])
    }

    static func series(_ model: String) -> String {
        #"{"__name__":"agentgateway_gen_ai_client_token_usage_sum","gateway":"gw1","gen_ai_request_model":"\#(model)","#
            + #""gen_ai_token_type":"input","gen_ai_system":"anthropic"}"#
    }

    /// A fake whose series answer holds sonnet only for windows that end after `sonnetFrom`.
    func serve(sonnetFrom: Date) async throws -> FakePrometheus {
        let started = try await FakePrometheus { request, _ in
            let end = Double(request.form["end"] ?? "") ?? 0
            var list = [Self.series("claude-3-5-haiku-20241022")]
            if end >= sonnetFrom.timeIntervalSince1970 { list.append(Self.series("claude-sonnet-4-5-20250929")) }
            return .json(#"{"status":"success","data":[\#(list.joined(separator: ","))]}"#)
        }
        server = started
        return started
    }

    func testAModelUsedBeforeItsFirstPriceIsFound() async throws {
        // October usage from 10-01; validated on 10-20, so the 30-day window starts 2026-09-20.
        let server = try await serve(sonnetFrom: Self.instant("2026-10-01T00:00:00Z"))
        let config = try Self.config(server.url)
        let result = try await FakeClient.with(config.prometheus) {
            try await OnlineCheck.run(
                config: config, client: $0,
                window: .days(before: Self.instant("2026-10-20T00:00:00Z"), origin: "--as-of"))
        }
        XCTAssertEqual(result.unpricedModels, [])
        XCTAssertEqual(result.pricedTooLate.map(\.model), ["claude-sonnet-4-5-20250929"])
        XCTAssertEqual(result.pricedTooLate.first?.firstPrice, Self.instant("2026-10-10T00:00:00Z"))
        // The second question asked for series that end before the first price.
        let ends = server.requests.compactMap { $0.form["end"].flatMap(Double.init) }
        XCTAssertTrue(ends.contains(Self.instant("2026-10-10T00:00:00Z").timeIntervalSince1970 - 1), "\(ends)")
    }

    func testAModelFirstUsedAfterItsPriceStartsPasses() async throws {
        let server = try await serve(sonnetFrom: Self.instant("2026-10-12T00:00:00Z"))
        let config = try Self.config(server.url)
        let result = try await FakeClient.with(config.prometheus) {
            try await OnlineCheck.run(
                config: config, client: $0,
                window: .days(before: Self.instant("2026-10-20T00:00:00Z"), origin: "--as-of"))
        }
        XCTAssertEqual(result.pricedTooLate, [])
    }
}
