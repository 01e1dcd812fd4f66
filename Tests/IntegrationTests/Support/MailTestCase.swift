import ChargebackCore
import Foundation
import TestSupport
import XCTest

/// What the mail tests share: a temporary folder, SMTP test servers stopped after each test, a
/// config with a `mail:` block, a teams file with addresses, and a copy of one report's folder.
class MailTestCase: XCTestCase {
    static let binary = SampleWorld.buildFolder.appendingPathComponent("chargeback").path
    static let period = "2026-10-07"
    static let from = "Équipe FinOps <finops@example.com>"
    /// Search's owner has a non-ASCII name, a cc and a bcc; Research's owner is a bare address.
    static let recipients = [
        "Search": ["lead-search@example.com", "finance@example.com", "audit@example.com"],
        "Research": ["lead-research@example.com"],
    ]

    var folder: URL!
    private var sinks: [SMTPSink] = []

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("cb-mail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDown() {
        for sink in sinks { sink.stop() }
        try? FileManager.default.removeItem(at: folder)
    }

    func ledgerEntries(_ reports: URL) throws -> [DeliveryLedger.Entry] {
        try DeliveryLedger(directory: reports).entries
    }

    // MARK: - Setup

    func startSink(_ options: [String] = []) throws -> SMTPSink {
        let sink = try SMTPSink(options, in: folder)
        sinks.append(sink)
        return sink
    }

    func chargeback(_ arguments: [String], environment: [String: String] = [:]) throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        try SampleWorld.execute(Self.binary, arguments, environment: environment)
    }

    /// A config with the sample prices, a `mail:` block with `smtp` and a teams file with mail addresses.
    func writeConfig(_ name: String, smtp: String, teams: String? = nil) throws -> String {
        let samples = PackagePaths.root.appendingPathComponent("Samples")
        let teamsPath = try teams ?? writeTeams()
        let text = """
            prometheus: { url: "http://127.0.0.1:1", timeout: 5s, retries: 0 }
            metrics:
              selector: '{namespace="kgateway-system"}'
              input_includes_cache: { anthropic: false, openai: true, default: true }
            pricing: \(samples.appendingPathComponent("pricing.yaml").path)
            teams: \(teamsPath)
            mail:
              from: "\(Self.from)"
              reply_to: finops-help@example.com
              smtp: \(smtp)

            """
        let path = folder.appendingPathComponent("\(name)-\(UUID().uuidString.prefix(6)).yaml")
        try Data(text.utf8).write(to: path)
        return path.path
    }

    func writeTeams() throws -> String {
        let path = folder.appendingPathComponent("teams.yaml")
        let text = """
            teams:
              - { name: Search, cost_center: CC-1001, owner: "Zoë Müller <lead-search@example.com>", monthly_budget_usd: 500,
                  cc: finance@example.com, bcc: [audit@example.com] }
              - { name: Research, cost_center: CC-2002, owner: lead-research@example.com, monthly_budget_usd: 400 }
            rules:
              - { match: { gateway: "kgateway-system/agentgateway1" }, team: Search }
              - { match: { gateway: "kgateway-system/agentgateway2", model: "claude-sonnet*" }, team: Research }
              - { match: { gateway: "kgateway-system/agentgateway3" }, split: { Search: 60, Research: 40 } }
              - { match: { gateway: "*" }, shared: proportional }

            """
        try Data(text.utf8).write(to: path)
        return path.path
    }

    private static let templateLock = NSLock()
    nonisolated(unsafe) private static var template: URL?

    /// A fresh copy of one report's folder with team packs (made once per process, from the sample Prometheus).
    func reportsCopy() throws -> URL {
        let world = try SampleWorld.get()
        let template = try Self.templateLock.withLock { () throws -> URL in
            if let template = Self.template { return template }
            let made = FileManager.default.temporaryDirectory.appendingPathComponent("cb-mail-template-\(getpid())")
            try? FileManager.default.removeItem(at: made)
            let config = try writeConfig("template", smtp: "{ url: \"smtp://127.0.0.1:1\", starttls: false }")
            let run = try chargeback([
                "report", "--config", config, "--period", Self.period, "--prometheus-url", world.url,
                "--output", made.path, "--split-by", "team", "--quiet",
            ])
            guard run.status == 0 else {
                throw NSError(
                    domain: "MailTestCase", code: 1,
                    userInfo: [
                        NSLocalizedDescriptionKey: "the report for the mail tests failed: \(run.stderr)"
                    ])
            }
            atexit { try? FileManager.default.removeItem(at: MailTestCase.template!) }
            Self.template = made
            return made
        }
        let copy = folder.appendingPathComponent("reports-\(UUID().uuidString.prefix(8))")
        try FileManager.default.copyItem(at: template, to: copy)
        return copy
    }
}

/// A throwaway CA, a server certificate for 127.0.0.1 and a client certificate signed by it
/// (openssl; test material only).
struct ThrowawayCA {
    let caFile: String
    let serverCert: String
    let serverKey: String
    let clientCert: String
    let clientKey: String

    /// - Parameters:
    ///   - serverNames: the server certificate's subjectAltName.
    ///   - expiredServer: the server certificate was valid for 1 day from 2020-01-01 00:00:00 (faketime, its clock frozen).
    init(in folder: URL, serverNames: String = "IP:127.0.0.1", expiredServer: Bool = false) throws {
        guard let openssl = SampleWorld.which("openssl") else {
            throw XCTSkip("openssl is not installed (scripts/install-deps.sh installs it)")
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        caFile = path("ca.pem")
        serverCert = path("server.pem")
        serverKey = path("server-key.pem")
        clientCert = path("client.pem")
        clientKey = path("client-key.pem")
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try Data("subjectAltName=\(serverNames)\nextendedKeyUsage=serverAuth\n".utf8)
            .write(to: URL(fileURLWithPath: path("server.ext")))
        try Data("extendedKeyUsage=clientAuth\n".utf8).write(to: URL(fileURLWithPath: path("client.ext")))
        for arguments in [
            ["req", "-x509"] + ec + [
                "-keyout", path("ca-key.pem"), "-out", caFile, "-days", "2", "-subj", "/CN=mail test CA",
            ],
            ["req"] + ec + ["-keyout", serverKey, "-out", path("server.csr"), "-subj", "/CN=127.0.0.1"],
            [
                "x509", "-req", "-in", path("server.csr"), "-CA", caFile, "-CAkey", path("ca-key.pem"),
                "-CAcreateserial",
                "-out", serverCert, "-days", "2", "-extfile", path("server.ext"),
            ],
            ["req"] + ec + ["-keyout", clientKey, "-out", path("client.csr"), "-subj", "/CN=chargeback mail test"],
            [
                "x509", "-req", "-in", path("client.csr"), "-CA", caFile, "-CAkey", path("ca-key.pem"),
                "-CAcreateserial",
                "-out", clientCert, "-days", "2", "-extfile", path("client.ext"),
            ],
        ] {
            let outcome = try ChildProcess.runBlocking(openssl, arguments, environment: ["PATH": "/usr/bin:/bin"])
            guard outcome.status == 0 else { throw XCTSkip("openssl \(arguments[0]): \(outcome.stderr)") }
        }
        if expiredServer {
            guard let faketime = SampleWorld.which("faketime") else { throw XCTSkip("faketime is not installed") }
            let outcome = try ChildProcess.runBlocking(
                faketime,
                [
                    // -f: the clock stands still, so a slow start cannot move the dates by a second.
                    "-f", "2020-01-01 00:00:00", openssl, "x509", "-req", "-in", path("server.csr"), "-CA", caFile,
                    "-CAkey", path("ca-key.pem"), "-CAcreateserial", "-out", serverCert, "-days", "1",
                    "-extfile", path("server.ext"),
                ], environment: ["PATH": "/usr/bin:/bin"],
                // Its own clock, not the suite's moved one (scripts/test.sh --faketime).
                realClock: true)
            guard outcome.status == 0 else { throw XCTSkip("faketime openssl x509: \(outcome.stderr)") }
        }
    }
}
