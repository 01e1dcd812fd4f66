import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// Invoice models no `models:` glob of the price book maps meet the measured models through the
/// measured series' response-model label; the reconciliation names the route of each.
final class ResponseModelMatchTests: XCTestCase {
    let utc = TimeZone(identifier: "UTC")!
    let dimensions = UsageDimensions(labels: LabelNames(), extraLabels: [])

    /// Exact model names only: no glob reaches the invoices' dated ids, except `gpt-4o*`.
    func book() throws -> PriceBook {
        try PriceBookParser.parse(
            try YAMLValue.parse(
                """
                models:
                  - match: claude-sonnet-4-5
                    prices: [ { from: 2025-01-01, input: 3, output: 15 } ]
                  - match: claude-haiku-4-5
                    prices: [ { from: 2025-01-01, input: 1, output: 5 } ]
                  - match: "gpt-4o*"
                    prices: [ { from: 2025-01-01, input: 2.5, output: 10 } ]
                """, file: "pricing.yaml"))
    }

    func line(_ system: String, _ model: String, perDay: Decimal, buckets: Buckets) -> CostLine {
        var cost = [Decimal](repeating: 0, count: buckets.hourCount)
        for day in buckets.days { cost[day.hours.lowerBound] = perDay }
        return CostLine(
            key: UsageKey(gateway: "g", model: model, tokenType: "output", system: system),
            hourlyTokens: cost.map { $0 == 0 ? 0 : 1000 }, hourlyCost: cost, cacheTokensExcluded: 0, unpriced: false)
    }

    func invoice(_ lines: [(String, String, Decimal)], buckets: Buckets) -> Invoice {
        var out: [InvoiceLine] = []
        for day in buckets.days {
            for (provider, model, amount) in lines {
                out.append(
                    InvoiceLine(
                        record: "r\(out.count)", provider: provider, model: model, start: day.start, end: day.end,
                        amount: amount, currency: "USD", description: "output"))
            }
        }
        return Invoice(file: "invoice.json", format: .anthropic, lines: out, sha256: "")
    }

    /// The measured series' labels, as the token counter exports them.
    func responses() -> ResponseModels {
        let buckets = Buckets(period: try! Period.parse("2026-10-01", in: utc))
        var accumulator = UsageAccumulator(buckets: buckets, dimensions: dimensions, gapFactor: 1.5)
        let start = buckets.period.start.millis
        for (system, requested, answered) in [
            ("anthropic", "claude-sonnet-4-5", "claude-sonnet-4-5-20250929"),
            ("anthropic", "claude-haiku-4-5", "claude-haiku-4-5-20251001"), ("anthropic", "claude-haiku-4-5", ""),
            ("openai", "gpt-4o", "gpt-4o-2024-08-06"), ("aws.bedrock", "claude-opus-4-1", "claude-opus-4-1-20250805"),
        ] {
            var labels = [
                "__name__": "agentgateway_gen_ai_client_token_usage_sum", "gateway": "g", "gen_ai_system": system,
                "gen_ai_request_model": requested, "gen_ai_token_type": "output", "instance": "pod-\(answered)",
            ]
            if !answered.isEmpty { labels["gen_ai_response_model"] = answered }
            accumulator.ingest(series: labels, samples: [(start + 60_000, 0), (start + 120_000, 500)])
        }
        return accumulator.responseModels(label: LabelNames().responseModel)
    }

    func testTheResponseModelLabelMatchesWhatNoGlobDoes() throws {
        let models = responses()
        XCTAssertEqual(
            models.requestModels(provider: "anthropic", answeredAs: "claude-sonnet-4-5-20250929"), ["claude-sonnet-4-5"]
        )
        XCTAssertEqual(models.requestModels(provider: "openai", answeredAs: "claude-sonnet-4-5-20250929"), [])
        XCTAssertEqual(
            models.requestModels(provider: "anthropic", answeredAs: "claude-opus-4-1-20250805"), [],
            "another provider's answer")

        let buckets = Buckets(period: try Period.parse("2026-10", in: utc))
        let lines = [
            line("anthropic", "claude-sonnet-4-5", perDay: 100, buckets: buckets),
            line("anthropic", "claude-haiku-4-5", perDay: 10, buckets: buckets),
            line("openai", "gpt-4o", perDay: 20, buckets: buckets),
        ]
        let invoice = invoice(
            [
                ("anthropic", "claude-sonnet-4-5-20250929", 100), ("anthropic", "claude-haiku-4-5-20251001", 10),
                ("openai", "gpt-4o-2024-08-06", 20), ("anthropic", "claude-opus-4-1-20250805", 7),
            ], buckets: buckets)
        let result = try Reconciler.reconcile(
            invoices: [invoice], lines: lines, buckets: buckets, book: try book(), dimensions: dimensions,
            tolerancePercent: 1, responses: models)
        func match(_ invoiceModel: String) -> ModelMatch? {
            result.matches.first { $0.invoiceModels.contains(invoiceModel) }
        }
        XCTAssertEqual(match("claude-sonnet-4-5-20250929")?.measuredModels, ["claude-sonnet-4-5"])
        XCTAssertEqual(match("claude-sonnet-4-5-20250929")?.routes["claude-sonnet-4-5-20250929"], .responseModel)
        XCTAssertEqual(match("claude-haiku-4-5-20251001")?.measuredModels, ["claude-haiku-4-5"])
        XCTAssertEqual(match("gpt-4o-2024-08-06")?.routes["gpt-4o-2024-08-06"], .priceBook)
        XCTAssertEqual(match("gpt-4o-2024-08-06")?.model, "gpt-4o*")
        XCTAssertEqual(match("claude-opus-4-1-20250805")?.routes["claude-opus-4-1-20250805"], .sameName)
        XCTAssertEqual(match("claude-opus-4-1-20250805")?.measuredModels, [])
        XCTAssertEqual(
            match("claude-sonnet-4-5-20250929")?.invoiceModelsWithRoutes,
            ["claude-sonnet-4-5-20250929 (response model label)"])
        // Matched, the rows are ok; only the model nobody measured is billed alone.
        XCTAssertEqual(
            Set(result.differences.map { "\($0.model) \($0.status.rawValue)" }),
            ["claude-opus-4-1-20250805 invoice_only"])

        // Without the label the dated ids meet nothing: every day of Sonnet and Haiku is measured only and invoice only.
        let blind = try Reconciler.reconcile(
            invoices: [invoice], lines: lines, buckets: buckets, book: try book(), dimensions: dimensions,
            tolerancePercent: 1)
        XCTAssertEqual(blind.rows.filter { $0.status == .invoiceOnly }.count, 31 * 3)
        XCTAssertEqual(blind.rows.filter { $0.status == .measuredOnly }.count, 31 * 2)

        // The true-up spreads the matched invoice lines over the usage they cover.
        let trued = TrueUp.lines(lines, invoices: [invoice], buckets: buckets, book: try book(), responses: models)
        XCTAssertEqual(trued.lines.first { $0.key.model == "claude-sonnet-4-5" }?.cost, 31 * 100)
        XCTAssertEqual(trued.diagnostics.count, 31, "the opus lines cover no usage")
    }
}
