import ChargebackCore
import Foundation
import NIOSSL
import TestSupport
import XCTest

/// The sweep's tools: the subcommands of the help, expectations on a run's output, proxies that
/// check or echo credentials, and config files.
extension SecretsSweepTests {
    /// The names under `SUBCOMMANDS:` in ArgumentParser's help.
    static func subcommands(inHelp help: String) -> [String] {
        guard let section = help.range(of: "SUBCOMMANDS:\n") else { return [] }
        return help[section.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
            .prefix { $0.hasPrefix("  ") }
            .compactMap { line in line.hasPrefix("   ") ? nil : line.split(separator: " ").first.map(String.init) }
    }

    /// Runs the binary, records the run for the scan and the subcommand as covered, and checks the exit status.
    @discardableResult
    func expect(
        _ status: Int32, _ label: String, _ arguments: [String], environment: [String: String] = [:],
        file: StaticString = #filePath, line: UInt = #line
    ) async throws -> ChildProcess.Outcome {
        let outcome = try await ChildProcess.run(Self.binary, arguments, environment: environment)
        let command = arguments.prefix { !$0.hasPrefix("-") && !$0.hasPrefix("/") }.joined(separator: " ")
        ran.append(("\(label): chargeback \(arguments.joined(separator: " "))", outcome))
        subcommandsRun.insert(command)
        XCTAssertEqual(
            outcome.status, status, "\(label) \(arguments.joined(separator: " ")): \(outcome.stderr)",
            file: file, line: line)
        return outcome
    }

    // MARK: - Servers and configs

    /// A proxy to the sample Prometheus that answers 401 unless the `Authorization` header is
    /// `expected`, and otherwise passes the answer on with a warning that echoes the header (a
    /// warning ends up in the reports and the manifest).
    func proxy(_ world: SampleWorld, tls: NIOSSLContext? = nil, demanding expected: String) async throws
        -> FaultProxy
    {
        let proxy = try await FaultProxy(upstream: world.url, tls: tls) { request, _ in
            guard request.headers.first(name: "Authorization") == expected else {
                return .answer(status: 401, body: "unauthorized")
            }
            return .rewrite { Self.addingWarning("\(Self.echoMarker)\(expected)", to: $0) }
        }
        proxies.append(proxy)
        return proxy
    }

    /// The start of the warning the proxies add.
    static let echoMarker = "the proxy saw Authorization: "

    /// A proxy that refuses every query, echoing every request header (credentials included): with
    /// a 401 and the headers as text, or with `status` 400 and an API error whose message holds them.
    func echoingRefusal(_ world: SampleWorld, apiError: Bool) async throws -> FaultProxy {
        let proxy = try await FaultProxy(upstream: world.url) { request, _ in
            let echo = "denied: " + request.headers.map { "\($0.name): \($0.value)" }.joined(separator: "; ")
            guard apiError else { return .answer(status: 401, body: echo) }
            let body = ["status": "error", "errorType": "bad_data", "error": echo]
            return .answer(
                status: 400,
                body: String(decoding: (try? JSONSerialization.data(withJSONObject: body)) ?? Data(), as: UTF8.self))
        }
        proxies.append(proxy)
        return proxy
    }

    /// A JSON answer with one more entry in `warnings`.
    @Sendable static func addingWarning(_ warning: String, to body: String) -> String {
        guard var object = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] else {
            return body
        }
        object["warnings"] = (object["warnings"] as? [String] ?? []) + [warning]
        return (try? JSONSerialization.data(withJSONObject: object)).map { String(decoding: $0, as: UTF8.self) } ?? body
    }

    /// A config with the given `prometheus:` section (indented by two), the sample metrics, prices and teams.
    func writeConfig(_ name: String, prometheus: String, extra: String = "") throws -> String {
        let samples = PackagePaths.root.appendingPathComponent("Samples")
        let text = """
            prometheus:
            \(prometheus)
              timeout: 5s
              retries: 0
            metrics:
              tokens: agentgateway_gen_ai_client_token_usage_sum
              selector: '{namespace="kgateway-system"}'
              input_includes_cache: { anthropic: false, openai: true, default: true }
            pricing: \(samples.appendingPathComponent("pricing.yaml").path)
            teams: \(samples.appendingPathComponent("teams.yaml").path)
            timezone: UTC
            thresholds: { daily_usd: 50, weekly_usd: 200, monthly_usd: 500, hourly_projection_usd_per_day: 50 }
            \(extra)

            """
        let path = configs.appendingPathComponent("\(name).yaml")
        try Data(text.utf8).write(to: path)
        return path.path
    }
}
