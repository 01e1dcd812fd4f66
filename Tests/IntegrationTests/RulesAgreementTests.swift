import ChargebackCore
import Foundation
import Logging
import TestSupport
import XCTest

/// The generated recording rules, evaluated on the sample Prometheus, against the report (docs/numbers.md).
///
/// The test Prometheus runs no rules, so each rule is evaluated with `/api/v1/query` in its inline
/// form (``ExpressionMode/inline``: the same terms over the raw counter) at the end of each day.
final class RulesAgreementTests: XCTestCase {
    let utc = TimeZone(identifier: "UTC")!

    /// A value of an instant query per label set, as `labels → value`.
    func values(_ client: PrometheusClient, _ promql: String, at time: Date) async throws -> [[String: String]: Double]
    {
        var out: [[String: String]: Double] = [:]
        for series in try await client.query(promql, at: time).series {
            guard let value = series.samples.first?.1 else { continue }
            out[series.labels.filter { $0.key != "__name__" }] = value
        }
        return out
    }

    /// For every day of October 2026: the rules' 24 h tokens per gateway and type are the report's
    /// stated `increase()` figures, and the rules' 24 h cost is the report's exact cost within the
    /// cost of those token differences. On days whose boundaries no scrape gap crosses that is
    /// within 0.5 %; across a gap `increase()` cannot see the traffic the report apportions.
    func testDailyCostFromTheRulesAgreesWithTheReportWithinTheIncreaseError() async throws {
        let world = try SampleWorld.get()
        var config = try ConfigLoader.load(
            path: PackagePaths.root.appendingPathComponent("Samples/chargeback.yaml").path)
        config.prometheus.url = try PrometheusURLRules.parse(world.url)
        let logger = Logger(label: "test")
        try await PrometheusClient.using(settings: config.prometheus, logger: logger) { client in
            try await compareDays(config: config, client: client, world: world)
        }
    }

    private func compareDays(config: ChargebackConfig, client: PrometheusClient, world: SampleWorld) async throws {
        let logger = Logger(label: "test")
        let labels = config.metrics.labels
        let month = try Period.parse("2026-10", in: utc)
        let gaps = world.gapWindows()
        var worst = 0.0
        var checkedDays = 0
        var day = month.start
        while day < month.end {
            let period = try Period.parse(DateText.day(day, in: utc), in: utc)
            let report = try await ReportPipeline(config: config, client: client, logger: logger).buildReport(
                ReportRequest(
                    period: period, formats: [], hourly: false, outputDirectory: FileManager.default.temporaryDirectory,
                    commandLine: [], now: DateText.parseInstant("2026-11-22T00:00:00Z")!))
            let rules = try RuleGenerator.generate(config: config, at: period.end, mode: .inline)
            func expr(_ name: String) throws -> String { try XCTUnwrap(rules.expression(of: name), name) }

            // Tokens: exactly what the report states as increase() per gateway and token type.
            let byGateway = try await values(client, try expr(RuleNames.tokensByGateway(.daily)), at: period.end)
            XCTAssertEqual(byGateway.count, report.reconciliation.dashboard.count, period.label)
            for row in report.reconciliation.dashboard {
                let ours = byGateway[[labels.gateway: row.gateway, labels.tokenType: row.tokenType]]
                XCTAssertEqual(
                    ours ?? -1, row.increase, accuracy: max(1e-6, row.increase * 1e-12),
                    "\(period.label) \(row.gateway) \(row.tokenType)")
            }

            // Cost: the report's exact cost, off by at most what the token differences cost.
            let detail = try await values(client, try expr(RuleNames.tokensDetail(.daily)), at: period.end)
            var exact: [[String: String]: Int64] = [:]
            for line in report.lines {
                let key = [
                    labels.gateway: line.key.gateway, labels.model: line.key.model,
                    labels.tokenType: line.key.tokenType, labels.system: line.key.system,
                ]
                exact[key, default: 0] += line.tokens
            }
            var bound = 0.0
            for key in Set(detail.keys).union(exact.keys) {
                let difference = abs((detail[key] ?? 0) - Double(exact[key] ?? 0))
                bound += difference * Self.weight(key, config: config, at: period.end)
            }
            let fromRules = try await values(client, try expr(RuleNames.costTotal(.daily)), at: period.end)
            let ruleCost = try XCTUnwrap(fromRules.values.first, period.label)
            let reportCost = Money.double(report.totalCost)
            let gap = abs(ruleCost - reportCost)
            XCTAssertLessThanOrEqual(gap, bound + 1e-9, "\(period.label): rules $\(ruleCost), report $\(reportCost)")
            XCTAssertGreaterThan(reportCost, 0, period.label)
            let crossed = gaps.contains { gap in [period.start, period.end].contains { gap.from < $0 && $0 < gap.to } }
            if !crossed {
                XCTAssertLessThan(gap / reportCost, 0.005, "\(period.label): rules $\(ruleCost), report $\(reportCost)")
                worst = max(worst, gap / reportCost)
                checkedDays += 1
            }
            print(
                "rules-vs-report \(period.label): rules \(String(format: "%.4f", ruleCost)) report "
                    + "\(String(format: "%.4f", reportCost)) diff \(String(format: "%+.3f", (ruleCost - reportCost) / reportCost * 100)) % "
                    + "bound \(String(format: "%.4f", bound))\(crossed ? " (a scrape gap crosses midnight)" : "")")
            day = period.end
        }
        print("rules-vs-report: worst of \(checkedDays) days no gap crosses: \(String(format: "%.3f", worst * 100)) %")
        XCTAssertGreaterThanOrEqual(checkedDays, 28, "all but the gap-crossed days are held to 0.5 %")
    }

    /// USD one token more or less of `key` can move the cost rules by: its kind's price, and for a
    /// cache token of a provider whose input includes cache also the input price it is subtracted from.
    static func weight(_ key: [String: String], config: ChargebackConfig, at time: Date) -> Double {
        let labels = config.metrics.labels
        guard let kind = TokenKind(tokenType: key[labels.tokenType] ?? ""),
            let point = config.pricing.price(model: key[labels.model] ?? "", at: time)
        else { return 0 }
        var perMillion = point.perMillion(kind) ?? 0
        let rule = config.metrics.inputIncludesCache.rule(for: { key[labels.labelName(for: $0)] ?? "" }, at: time)
        if kind.isCache && rule.includes {
            perMillion += point.input ?? 0
        }
        return Money.double(perMillion) / 1_000_000
    }
}
