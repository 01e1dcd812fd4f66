import ChargebackCore
import Foundation
import NIOSSL
import TestSupport
import XCTest

/// docs/commands.md: secrets never appear in logs, errors, the manifest or reports.
///
/// Every subcommand of the built binary runs with `--verbose` (where it has it), succeeding against
/// the real sample Prometheus behind proxies that demand the credentials (a bearer token over
/// mutual TLS, and basic auth), and failing (a 401 that echoes the request headers back, nothing
/// listening, bad configs). Then stdout, stderr and every file written are searched for each
/// secret, its base64 form and the client key's PEM lines. The runs are checked to have happened
/// as planned, so an empty sweep cannot pass.
final class SecretsSweepTests: XCTestCase {
    static let binary = SampleWorld.buildFolder.appendingPathComponent("chargeback").path
    static let period = "2026-10-07"

    var folder: URL!
    var proxies: [FaultProxy] = []
    /// Where every command writes; all of it is scanned.
    var outputs: URL { folder.appendingPathComponent("outputs") }
    var configs: URL { folder.appendingPathComponent("configs") }
    var ran: [(label: String, outcome: ChildProcess.Outcome)] = []
    var subcommandsRun: Set<String> = []

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("cb-sweep-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outputs, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: configs, withIntermediateDirectories: true)
    }

    override func tearDown() async throws {
        for proxy in proxies { await proxy.stop() }
        try? FileManager.default.removeItem(at: folder)
    }

    func testNoSecretAppearsInAnyOutputOfAnyCommand() async throws {
        let world = try SampleWorld.get()
        let secrets = try TestSecrets(in: folder.appendingPathComponent("secrets"))
        let basicHeader = "Basic " + Data("\(secrets.username):\(secrets.password)".utf8).base64EncodedString()
        let bearer = try await proxy(world, tls: try secrets.serverTLS(), demanding: "Bearer \(secrets.token)")
        let basic = try await proxy(world, demanding: basicHeader)
        let echo = try await echoingRefusal(world, apiError: false)
        let apiEcho = try await echoingRefusal(world, apiError: true)
        let closed = "http://127.0.0.1:\(try ClosedPort.find())"

        let bearerConfig = try writeConfig(
            "bearer-tls",
            prometheus: """
                  url: \(bearer.url)
                  bearer_token_file: \(secrets.tokenFile.path)
                  tls: { ca_file: \(secrets.caFile.path), cert_file: \(secrets.clientCert.path), key_file: \(secrets.clientKey.path) }
                """)
        let basicConfig = try writeConfig(
            "basic",
            prometheus: """
                  url: \(basic.url)
                  basic_auth: { username: \(secrets.username), password_file: \(secrets.passwordFile.path) }
                """)
        for (name, config) in [("bearer-tls", bearerConfig), ("basic", basicConfig)] {
            try await runSucceeding(name, config: config)
            try await runFailing(name, config: config, refusing: echo.url, rejecting: apiEcho.url, closed: closed)
        }
        XCTAssertTrue(echo.taken.count >= 4, "the denying proxy was asked")
        XCTAssertTrue(
            bearer.actions.contains("rewrite") && !bearer.actions.contains { $0.hasPrefix("answer") },
            "every request over mutual TLS carried the token: \(Set(bearer.actions))")
        XCTAssertTrue(
            basic.actions.contains("rewrite") && !basic.actions.contains { $0.hasPrefix("answer") },
            "every request carried the basic-auth header: \(Set(basic.actions))")

        try await runStore(bearerURL: bearer.url, secrets, closed: closed)
        try await runMail(world, secrets)
        try await runBadConfigs(secrets, basicConfig: basicConfig)
        try await runCommandsWithoutSecrets()
        let adminKeys = try await runInvoiceFetches(world, secrets)
        try await assertEverySubcommandRan()

        var scan = SecretScan(needles: try secrets.needles() + adminKeys)
        for run in ran {
            scan.scan(run.outcome.stdout, source: "\(run.label) stdout")
            scan.scan(run.outcome.stderr, source: "\(run.label) stderr")
        }
        try scan.scanFiles(under: outputs)
        XCTAssertTrue(
            scan.scanned.contains { $0.hasSuffix("manifest.json") } && scan.scanned.contains { $0.hasSuffix(".xlsx") }
                && scan.scanned.contains { $0.hasSuffix(".eml") }
                && scan.scanned.contains { $0.hasSuffix("mail-ledger.json") },
            "manifests, workbooks, mails and the delivery ledger were searched")
        XCTAssertEqual(scan.hits, [], "secrets leaked")
    }

    // MARK: - The runs

    /// Every command that reads the config, through the proxy that demands the credentials: all succeed.
    private func runSucceeding(_ name: String, config: String) async throws {
        let reports = outputs.appendingPathComponent("\(name)-reports")
        try await expect(
            0, name,
            [
                "report", "--config", config, "--period", Self.period, "--output", reports.path,
                "--format", "markdown,csv,xlsx,focus", "--split-by", "team", "--verbose",
            ])
        XCTAssertGreaterThanOrEqual(
            FolderState(reports).names.filter { !$0.hasPrefix(".") }.count, 10,
            "\(name): the reports, the team packs and the manifest were written")
        for file in ["chargeback-\(Self.period).md", "manifest.json"] {
            let text = try String(contentsOf: reports.appendingPathComponent(file), encoding: .utf8)
            XCTAssertTrue(text.contains(Self.echoMarker), "\(name): the echoing warning reached \(file)")
        }
        try await expect(
            0, "\(name) json",
            [
                "report", "--config", config, "--period", Self.period, "--output",
                outputs.appendingPathComponent("\(name)-json").path, "--verbose",
                "--log-format", "json",
            ])
        try await expect(0, name, ["validate", "--config", config, "--verbose"])
        let online = try await expect(
            0, name, ["validate", "--config", config, "--online", "--as-of", "2026-11-01T00:00:00Z", "--verbose"])
        XCTAssertTrue(online.stdout.contains(" series of "), "\(name): validate --online asked Prometheus")
        try await expect(0, name, ["prices", "--config", config, "--verbose"])
        try await expect(0, name, ["rules", "--config", config, "--verbose"])
        try await expect(0, name, ["rules", "--config", config, "--plain", "--verbose"])
        try await expect(0, name, ["dashboard", "--config", config, "--verbose"])
    }

    /// The commands that talk to Prometheus, against servers that echo the credentials back in a
    /// 401 or an API error, and against nothing: all fail, with the echoes scrubbed.
    private func runFailing(_ name: String, config: String, refusing: String, rejecting: String, closed: String)
        async throws
    {
        let denied = try await expect(
            1, "\(name) denied",
            [
                "report", "--config", config, "--period", Self.period, "--prometheus-url", refusing,
                "--output", outputs.appendingPathComponent("\(name)-denied").path, "--verbose",
            ])
        XCTAssertTrue(denied.stderr.contains("answered HTTP 401"), denied.stderr)
        XCTAssertTrue(
            denied.stderr.contains("<redacted>"), "the echoed credentials were met and scrubbed: \(denied.stderr)")
        try await expect(
            1, "\(name) denied",
            [
                "validate", "--config", config, "--online", "--prometheus-url", refusing,
                "--verbose",
            ])
        let rejected = try await expect(
            1, "\(name) rejected",
            [
                "report", "--config", config, "--period", Self.period, "--prometheus-url", rejecting,
                "--output", outputs.appendingPathComponent("\(name)-rejected").path, "--verbose",
            ])
        XCTAssertTrue(rejected.stderr.contains("rejected the query (bad_data: denied: "), rejected.stderr)
        XCTAssertTrue(
            rejected.stderr.contains("<redacted>"), "the echoed credentials were met and scrubbed: \(rejected.stderr)")
        try await expect(
            1, "\(name) wrong URL",
            [
                "report", "--config", config, "--period", Self.period, "--prometheus-url", closed,
                "--output", outputs.appendingPathComponent("\(name)-unreachable").path, "--verbose",
            ])
    }

    /// The usage store through the proxy demanding the token over mutual TLS: `collect`, `store
    /// status` (which asks Prometheus where its data starts) and a report from the store; a collect
    /// against nothing fails. The database lies under `outputs`, so it is searched too.
    private func runStore(bearerURL: String, _ secrets: TestSecrets, closed: String) async throws {
        let config = try writeConfig(
            "store",
            prometheus: """
                  url: \(bearerURL)
                  bearer_token_file: \(secrets.tokenFile.path)
                  tls: { ca_file: \(secrets.caFile.path), cert_file: \(secrets.clientCert.path), key_file: \(secrets.clientKey.path) }
                """, extra: "store: { url: \"sqlite://\(outputs.path)/usage.sqlite\" }")
        try await expect(
            0, "store",
            [
                "collect", "--config", config, "--from", "2026-10-01", "--to", "2026-10-02",
                "--verbose",
            ])
        let status = try await expect(0, "store", ["store", "status", "--config", config, "--verbose"])
        try await expect(0, "store", ["store", "--help"])
        XCTAssertTrue(status.stdout.contains("hours:        24 stored"), status.stdout)
        try await expect(
            0, "store",
            [
                "report", "--config", config, "--from", "2026-10-01", "--to", "2026-10-02",
                "--source", "store", "--output", outputs.appendingPathComponent("store").path,
                "--verbose",
            ])
        try await expect(
            1, "store unreachable",
            [
                "collect", "--config", config, "--from", "2026-10-02", "--to",
                "2026-10-03", "--prometheus-url", closed, "--verbose",
            ])
    }

    /// Team mails sent over STARTTLS with AUTH (the basic-auth password doubles as the SMTP
    /// password): by `report --mail`, `mail --resend`, `mail --dry-run`, and to a server that
    /// refuses the login. The server stores what it received under `outputs`, so the messages
    /// as delivered are searched too.
    private func runMail(_ world: SampleWorld, _ secrets: TestSecrets) async throws {
        let tls = ["--tls-cert", secrets.serverCert.path, "--tls-key", secrets.serverKey.path, "--require-starttls"]
        let sink = try SMTPSink(tls + ["--auth", "\(secrets.username):\(secrets.passwordFile.path)"], in: outputs)
        defer { sink.stop() }
        let otherPassword = configs.appendingPathComponent("other-password")
        try Data("not-the-password\n".utf8).write(to: otherPassword)
        let refusing = try SMTPSink(tls + ["--auth", "\(secrets.username):\(otherPassword.path)"], in: outputs)
        defer { refusing.stop() }
        func mail(_ url: String) -> String {
            """
            mail:
              from: "FinOps <finops@example.com>"
              smtp: { url: "\(url)", ca_file: \(secrets.caFile.path), username: \(secrets.username),
                      password_file: \(secrets.passwordFile.path), retries: 1 }
            """
        }
        let config = try writeConfig("mail", prometheus: "  url: \(world.url)", extra: mail(sink.url))
        let reports = outputs.appendingPathComponent("mail-reports")
        try await expect(
            0, "mail",
            [
                "report", "--config", config, "--period", Self.period, "--output", reports.path,
                "--split-by", "team", "--mail", "--verbose",
            ])
        try await expect(0, "mail", ["mail", "--config", config, "--reports", reports.path, "--resend", "--verbose"])
        try await expect(0, "mail", ["mail", "--config", config, "--reports", reports.path, "--dry-run", "--verbose"])
        let refused = try writeConfig("mail-refused", prometheus: "  url: \(world.url)", extra: mail(refusing.url))
        let denied = try await expect(
            75, "mail refused",
            [
                "mail", "--config", refused, "--reports", reports.path,
                "--resend", "--verbose",
            ])
        XCTAssertTrue(denied.stdout.contains("535"), "the server refused the login: \(denied.stdout)")
        XCTAssertEqual(try sink.received().count, 4, "two teams' mails, sent twice")
        XCTAssertTrue(sink.log.contains("auth PLAIN ok") && refusing.log.contains("auth PLAIN refused"))
    }

    /// Configs that are wrong around the secrets: each is refused, and the refusal shows no secret.
    private func runBadConfigs(_ secrets: TestSecrets, basicConfig: String) async throws {
        let unknownKey = try writeConfig(
            "unknown-key",
            prometheus: """
                  url: http://127.0.0.1:1
                  bearer_token_file: \(secrets.tokenFile.path)
                  bearer_token: \(secrets.token)
                """)
        let tokenInHeaders = try writeConfig(
            "token-in-headers",
            prometheus: """
                  url: http://127.0.0.1:1
                  headers: { Authorization: "Bearer \(secrets.token)" }
                """)
        let passwordInURL = try writeConfig(
            "password-in-url",
            prometheus: """
                  url: http://\(secrets.username):\(secrets.password)@127.0.0.1:1
                """)
        let keyIsNotAKey = try writeConfig(
            "key-is-password",
            prometheus: """
                  url: http://127.0.0.1:1
                  tls: { cert_file: \(secrets.clientCert.path), key_file: \(secrets.passwordFile.path) }
                """)
        let twoLineToken = configs.appendingPathComponent("two-line-token")
        try Data("\(secrets.token)\nsecond-line-\(secrets.token)\n".utf8).write(to: twoLineToken)
        let badTokenFile = try writeConfig(
            "two-line-token",
            prometheus: """
                  url: http://127.0.0.1:1
                  bearer_token_file: \(twoLineToken.path)
                """)
        // They all read the config the same way: each command meets one of the bad configs.
        for (config, command) in zip(
            [unknownKey, tokenInHeaders, passwordInURL, tokenInHeaders],
            ["validate", "prices", "rules", "dashboard"])
        {
            try await expect(64, "bad config", [command, "--config", config, "--verbose"])
        }
        for (config, status) in [
            (unknownKey, 64), (tokenInHeaders, 64), (passwordInURL, 64), (keyIsNotAKey, 64),
            (badTokenFile, 64),
        ] {
            try await expect(
                Int32(status), "bad config",
                [
                    "report", "--config", config, "--period", Self.period, "--verbose",
                    "--output", outputs.appendingPathComponent("bad-\(UUID().uuidString)").path,
                ])
            try await expect(Int32(status), "bad config", ["validate", "--config", config, "--online", "--verbose"])
        }
        let inFlag = "http://\(secrets.username):\(secrets.password)@127.0.0.1:1"
        try await expect(
            64, "password in a flag",
            [
                "report", "--config", basicConfig, "--period", Self.period, "--verbose",
                "--prometheus-url", inFlag,
                "--output", outputs.appendingPathComponent("in-flag").path,
            ])
    }

    /// The commands that read no Prometheus settings, for completeness: they too must run.
    private func runCommandsWithoutSecrets() async throws {
        let starter = outputs.appendingPathComponent("init")
        try await expect(0, "init", ["init", starter.path])
        XCTAssertTrue(FileManager.default.fileExists(atPath: starter.appendingPathComponent("chargeback.yaml").path))
        let litellm = configs.appendingPathComponent("litellm.json")
        try Data(
            #"{"claude-sweep": {"input_cost_per_token": 0.000003, "output_cost_per_token": 0.000015, "litellm_provider": "anthropic"}}"#
                .utf8
        ).write(to: litellm)
        let imported = try await expect(
            0, "import", ["prices", "import-litellm", litellm.path, "--from", "2026-01-01"])
        XCTAssertTrue(imported.stdout.contains("claude-sweep"), imported.stdout)
        try await expect(0, "help", ["--help"])
        try await expect(0, "version", ["--version"])
    }

    /// Every subcommand `--help` lists (and theirs, recursively) was run at least once above.
    private func assertEverySubcommandRan() async throws {
        var listed: Set<String> = []
        var pending = [[String]()]
        while let path = pending.popLast() {
            let help = try await ChildProcess.run(Self.binary, path + ["--help"], environment: [:])
            if !path.isEmpty { listed.insert(path.joined(separator: " ")) }
            pending += Self.subcommands(inHelp: help.stdout).map { path + [$0] }
        }
        XCTAssertTrue(
            listed.isSuperset(of: [
                "report", "validate", "prices", "prices import-litellm", "init", "rules",
                "dashboard", "invoices", "invoices fetch",
            ]), "\(listed)")
        XCTAssertEqual(listed.subtracting(subcommandsRun), [], "subcommands the sweep did not run")
    }
}
