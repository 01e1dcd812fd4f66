import ChargebackCore
import Foundation
import NIOSSL
import TestSupport
import XCTest

extension SecretsSweepTests {
    /// The providers' admin keys: `invoices fetch` and a `report` with `invoices:` sources fetch the
    /// bills with them (from a file and from a variable); a wrong key, which the server echoes in its
    /// 401, fails. Anthropic's API is reached over mutual TLS. Returns the keys (the right ones and
    /// the wrong one) as needles for the scan.
    func runInvoiceFetches(_ world: SampleWorld, _ secrets: TestSecrets) async throws
        -> [(name: String, value: String)]
    {
        let invoices = world.historyFolder.appendingPathComponent("invoices")
        let anthropicKey = "sk-ant-admin01-sweep-\(UUID().uuidString)"
        let openaiKey = "sk-admin-sweep-\(UUID().uuidString)"
        let wrongKey = "sk-admin-wrong-\(UUID().uuidString)"
        let anthropic = try await FakeCostAPI(
            .anthropic,
            answer: try Data(contentsOf: invoices.appendingPathComponent("anthropic-cost-report-2026-10.json")),
            key: anthropicKey, pageSize: 1, tls: try secrets.serverTLS())
        let openai = try await FakeCostAPI(
            .openai, answer: try Data(contentsOf: invoices.appendingPathComponent("openai-costs-2026-10.json")),
            key: openaiKey, pageSize: 1)
        defer {
            Task {
                await anthropic.stop()
                await openai.stop()
            }
        }
        let keyFile = configs.appendingPathComponent("anthropic-admin-key")
        try Data("\(anthropicKey)\n".utf8).write(to: keyFile)
        let config = try writeConfig(
            "invoice-sources", prometheus: "  url: \(world.url)",
            extra: """
                invoices:
                  - { provider: anthropic, key_file: \(keyFile.path), url: "\(anthropic.url)", retries: 0,
                      tls: { ca_file: \(secrets.caFile.path), cert_file: \(secrets.clientCert.path), key_file: \(secrets.clientKey.path) } }
                  - { provider: openai, key_env: SWEEP_OPENAI_ADMIN_KEY, url: "\(openai.url)", retries: 0 }
                """)
        let right = ["SWEEP_OPENAI_ADMIN_KEY": openaiKey]
        let reports = outputs.appendingPathComponent("invoice-sources")
        try await expect(
            0, "invoice sources",
            ["report", "--config", config, "--period", Self.period, "--output", reports.path, "--verbose"],
            environment: right)
        XCTAssertTrue(
            FileManager.default.fileExists(
                atPath: reports.appendingPathComponent("invoices/openai-\(Self.period)-page-1.json").path))
        for provider in ["anthropic", "openai"] {
            try await expect(
                0, "invoices fetch",
                [
                    "invoices", "fetch", "--config", config, "--provider", provider, "--period", Self.period,
                    "--output", outputs.appendingPathComponent("fetched").path, "--verbose",
                ], environment: right)
        }
        let denied = try await expect(
            1, "invoices fetch denied",
            [
                "invoices", "fetch", "--config", config, "--provider", "openai", "--period", Self.period,
                "--output", outputs.appendingPathComponent("fetch-denied").path, "--verbose",
            ], environment: ["SWEEP_OPENAI_ADMIN_KEY": wrongKey])
        XCTAssertTrue(denied.stderr.contains("refused the admin key from the environment variable"), denied.stderr)
        XCTAssertTrue(denied.stderr.contains("<redacted>"), "the echoed key was met and scrubbed: \(denied.stderr)")
        try await expect(
            1, "report denied",
            [
                "report", "--config", config, "--period", Self.period, "--verbose",
                "--output", outputs.appendingPathComponent("report-denied").path,
            ], environment: ["SWEEP_OPENAI_ADMIN_KEY": wrongKey])
        try await expect(0, "invoices", ["invoices", "--help"])
        XCTAssertGreaterThanOrEqual(openai.requests.count, 4, "the OpenAI server was asked")
        XCTAssertGreaterThanOrEqual(anthropic.requests.count, 3, "the Anthropic server was asked over mutual TLS")
        return [("Anthropic admin key", anthropicKey), ("OpenAI admin key", openaiKey), ("wrong admin key", wrongKey)]
    }
}
