import ChargebackCore
import Foundation
import XCTest

/// A day in which agentgateway is upgraded, backfilled into a real Prometheus and VictoriaMetrics
/// with `agentgateway_build_info`: the v1.4.1 pod serving Anthropic is replaced at 09:00 by a
/// v1.5.0 pod (after PR #2880: `input` includes cache tokens for every provider). Under the
/// starter file's `auto` the hours before 09:00 keep their cache tokens outside `input`, the hours
/// after have them taken out, and the report names the switch and both conventions. A second
/// gateway on v1.5.0 reports more cache tokens than input: a warning names it and the rule.
final class MixedVersionsTests: XCTestCase {
    static let day = "2026-10-14"
    static let upgrade = EdgeHistory.at("2026-10-14T09:00:00Z")
    static let gateway = "agentgateway-system/agentgateway"
    static let gatewayEU = "agentgateway-system/agentgateway-eu"
    static let model = "claude-sonnet-4-5-20250929"
    /// Tokens per second of each type (cache reads exceed input on the EU gateway).
    static let rates: [String: [String: Int64]] = [
        gateway: ["input": 10, "output": 4, "input_cache_read": 3],
        gatewayEU: ["input": 10, "output": 4, "input_cache_read": 12],
    ]

    static func history() -> [EdgeHistory.Case] {
        let start = EdgeHistory.at("2026-10-13T20:00:00Z")
        let end = EdgeHistory.at("2026-10-15T04:00:00Z")
        // (gateway, pod, build, system, model, from, to)
        let pods: [(String, String, String, String, String, Int64, Int64)] = [
            (gateway, "agentgateway-5f7c-old", "v1.4.1", "anthropic", model, start, upgrade),
            (gateway, "agentgateway-6a1d-new", "v1.5.0", "anthropic", model, upgrade, end),
            (gatewayEU, "agentgateway-eu-0", "v1.5.0", "openai", "gpt-4o-2024-08-06", start, end),
        ]
        var cases: [String: EdgeHistory.Case] = [:]
        for (index, (gateway, pod, build, system, model, from, to)) in pods.enumerated() {
            // Scraped every 30 s while it runs; a pod starting at the upgrade is first scraped 30 s later.
            let times = EdgeHistory.times(from: from == upgrade ? from + 30 : from, to: to, every: 30)
            let target = [
                "namespace": "agentgateway-system", "pod": pod, "instance": "10.1.0.\(index + 7):15020",
                "job": "agentgateway-system/agentgateway",
            ]
            var gatewayCase = cases[gateway] ?? EdgeHistory.Case(gateway: gateway)
            for (type, rate) in rates[gateway]! {
                let labels = target.merging([
                    "gateway": gateway, "gen_ai_system": system, "gen_ai_request_model": model,
                    "gen_ai_response_model": model, "gen_ai_token_type": type, "gen_ai_operation_name": "chat",
                ]) { $1 }
                gatewayCase.series.append(
                    EdgeHistory.Series(labels: labels, samples: times.map { ($0, rate * ($0 - from)) }))
            }
            var info = EdgeHistory.Series(
                labels: target.merging(["tag": build]) { $1 }, samples: times.map { ($0, 1) })
            info.metric = "agentgateway_build_info"
            gatewayCase.series.append(info)
            cases[gateway] = gatewayCase
        }
        return [cases[gateway]!, cases[gatewayEU]!]
    }

    func testAnUpgradeMidDayIsPricedHourByHourAndTheReportSaysSo() async throws {
        let servers = try EdgeBackends.start(name: "mixed-versions", cases: Self.history())
        defer { servers.stop() }
        let switchHour = 9
        for (name, url) in servers.backends {
            let report = try await BackendReport.build(url: url, period: Self.day, now: EdgeBackends.now)
            let input = try XCTUnwrap(
                report.lines.first { $0.key.gateway == Self.gateway && $0.key.tokenType == "input" }, name)
            XCTAssertEqual(input.hourlyTokens, Array(repeating: 36_000, count: 24), name)
            // 10 input and 3 cache-read tokens a second: the cache reads come out of input from 09:00 on.
            XCTAssertEqual(
                input.hourlyBillable, (0..<24).map { $0 < switchHour ? 36_000 : 36_000 - 10_800 }, name)
            let origins = Set(report.cacheRules.map(\.rule.origin))
            XCTAssertTrue(
                origins.isSuperset(of: [
                    "agentgateway v1.4.x default", "agentgateway after v1.4.1, by agentgateway_build_info",
                ]), "\(name): \(origins)")
            let messages = report.diagnostics.map(\.message)
            XCTAssertTrue(
                messages.contains(
                    "\(Self.gateway) (provider 'anthropic', \(Self.model)): the cache convention changes in the period: "
                        + "input excludes cache tokens (agentgateway v1.4.x default) until 2026-10-14T09:00:00Z, then "
                        + "includes cache tokens (agentgateway after v1.4.1, by agentgateway_build_info); each hour is "
                        + "priced with the rule in force"), "\(name): \(messages)")
            let contradiction = messages.filter {
                $0.hasPrefix("\(Self.gatewayEU) gpt-4o-2024-08-06 (provider 'openai')")
            }
            XCTAssertEqual(contradiction.count, 1, "\(name): \(messages)")
            for part in [
                "24 hour(s) have more cache tokens than input", "input 36000, cache 43200",
                "agentgateway after v1.4.1, by agentgateway_build_info",
            ] {
                XCTAssertTrue(contradiction.first?.contains(part) == true, "\(name) names \(part): \(contradiction)")
            }
            XCTAssertFalse(
                messages.contains { $0.contains("the cache convention changes") && $0.contains(Self.gatewayEU) },
                "\(name): one build all day on the EU gateway")
        }
    }
}
