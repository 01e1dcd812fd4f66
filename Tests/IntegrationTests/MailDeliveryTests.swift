import ChargebackCore
import Foundation
import TestSupport
import XCTest

/// `chargeback mail` and `report --mail` against a real SMTP server (aiosmtpd, see ``SMTPSink``):
/// plain, STARTTLS with a throwaway CA and AUTH, implicit TLS; every message parsed back with
/// Python's `email` package; retries on 4xx only; a run killed after its first accepted message;
/// header injection through the team file.
final class MailDeliveryTests: MailTestCase {
    // MARK: - The tests

    func testReportMailSendsEachTeamItsPackWithTheFilesAttached() throws {
        let world = try SampleWorld.get()
        let sink = try startSink()
        let reports = folder.appendingPathComponent("reports")
        let config = try writeConfig("plain", smtp: "{ url: \"\(sink.url)\", starttls: false }")
        let run = try chargeback([
            "report", "--config", config, "--period", Self.period, "--prometheus-url", world.url,
            "--output", reports.path, "--split-by", "team", "--mail",
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("4 recipient(s) sent, 0 already had it, 0 failed"), run.stdout)
        let received = try sink.received()
        XCTAssertEqual(received.count, 2, "one message per team")
        try assertMessages(received, match: reports)
        let search = try XCTUnwrap(received.first { $0.envelope.rcptTos.contains("lead-search@example.com") })
        XCTAssertEqual(search.envelope.rcptTos.sorted(), Self.recipients["Search"]!.sorted(), "owner, cc and bcc")
        XCTAssertEqual(search.header("To"), "Zoë Müller <lead-search@example.com>", "the encoded name decodes")
        XCTAssertEqual(search.header("Cc"), "finance@example.com")
        XCTAssertNil(search.header("Bcc"), "the bcc recipient is in the envelope only")
        XCTAssertEqual(search.header("From"), Self.from)
        XCTAssertEqual(search.header("Reply-To"), "finops-help@example.com")
        XCTAssertEqual(search.envelope.mailFrom, "finops@example.com")
        XCTAssertTrue(
            search.header("Subject")?.hasPrefix("AI gateway chargeback \(Self.period) for Search: $") == true,
            "\(String(describing: search.header("Subject")))")
        XCTAssertTrue(search.text?.contains("chargeback of Search (cost center CC-1001)") == true, search.text ?? "")
        XCTAssertFalse(try sink.rawMessages()[0].contains(Data("Bcc:".utf8)), "no Bcc header on the wire")

        let ledger = try ledgerEntries(reports)
        XCTAssertEqual(Set(ledger.map(\.recipient)), Set(Self.recipients.values.joined()))
        XCTAssertTrue(
            ledger.allSatisfy { $0.status == "accepted" && $0.reply.hasPrefix("250 2.0.0 Ok: queued as") },
            "\(ledger)")

        // Again: nothing new; --dry-run shows it all and sends nothing; --resend sends it all again.
        let mailConfig = try writeConfig("plain", smtp: "{ url: \"\(sink.url)\", starttls: false }")
        let again = try chargeback(["mail", "--config", mailConfig, "--reports", reports.path])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("0 recipient(s) sent, 4 already had it"), again.stdout)
        let dry = try chargeback(["mail", "--config", mailConfig, "--reports", reports.path, "--dry-run", "--resend"])
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertTrue(dry.stdout.contains("subject: AI gateway chargeback \(Self.period) for Search: $"), dry.stdout)
        XCTAssertTrue(dry.stdout.contains("bcc: audit@example.com"), dry.stdout)
        XCTAssertTrue(dry.stdout.contains("from: \(Self.from)"), dry.stdout)
        let workbook = try Data(
            contentsOf: reports.appendingPathComponent(
                "teams/Search/chargeback-\(Self.period)-Search.xlsx"))
        XCTAssertTrue(
            dry.stdout.contains("chargeback-\(Self.period)-Search.xlsx (\(workbook.count) bytes)"), dry.stdout)
        XCTAssertTrue(dry.stdout.contains("2 message(s) to 4 recipient(s) would be sent"), dry.stdout)
        XCTAssertEqual(try sink.received().count, 2, "neither the re-run nor the dry run sent anything")
        let resend = try chargeback(["mail", "--config", mailConfig, "--reports", reports.path, "--resend", "--quiet"])
        XCTAssertEqual(resend.status, 0, resend.stderr)
        XCTAssertEqual(resend.stdout, "", "--quiet prints nothing on success")
        XCTAssertEqual(try sink.received().count, 4)
        XCTAssertEqual(try ledgerEntries(reports).count, 8, "the ledger keeps both sendings")
    }

    func testStartTLSWithAThrowawayCAAndBothAuthMechanisms() throws {
        let reports = try reportsCopy()
        let tls = try ThrowawayCA(in: folder.appendingPathComponent("ca"))
        let password = "smtp-password-\(UUID().uuidString)"
        let passwordFile = folder.appendingPathComponent("smtp-password")
        try Data("\(password)\n".utf8).write(to: passwordFile)
        let options = [
            "--tls-cert", tls.serverCert, "--tls-key", tls.serverKey, "--require-starttls",
            "--auth", "mailer:\(passwordFile.path)",
        ]
        let plainAuth = try startSink(options)
        let config = try writeConfig(
            "starttls",
            smtp: """
                { url: "\(plainAuth.url)", ca_file: \(tls.caFile), username: mailer, password_file: \(passwordFile.path) }
                """)
        let run = try chargeback(["mail", "--config", config, "--reports", reports.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        let received = try plainAuth.received()
        XCTAssertEqual(received.count, 2)
        XCTAssertTrue(received.allSatisfy { $0.envelope.tls && $0.envelope.login == "mailer" }, "over TLS, logged in")
        XCTAssertTrue(plainAuth.log.contains("auth PLAIN ok"), "\(plainAuth.log)")
        try assertMessages(received, match: reports)

        // AUTH LOGIN when the server offers no PLAIN, the password from an environment variable.
        let loginOnly = try startSink(options + ["--exclude-auth", "PLAIN"])
        let envConfig = try writeConfig(
            "login",
            smtp: """
                { url: "\(loginOnly.url)", ca_file: \(tls.caFile), username: mailer, password_env: SMTP_TEST_PASSWORD }
                """)
        let login = try chargeback(
            ["mail", "--config", envConfig, "--reports", try reportsCopy().path],
            environment: ["SMTP_TEST_PASSWORD": password])
        XCTAssertEqual(login.status, 0, login.stderr)
        XCTAssertTrue(loginOnly.log.contains("auth LOGIN ok"), "\(loginOnly.log)")
        XCTAssertEqual(try loginOnly.received().count, 2)

        // Without the CA the server's certificate is not trusted: nothing is sent, and it says why.
        let untrusted = try writeConfig(
            "no-ca",
            smtp: """
                { url: "\(plainAuth.url)", username: mailer, password_file: \(passwordFile.path), retries: 0 }
                """)
        let refused = try chargeback(["mail", "--config", untrusted, "--reports", try reportsCopy().path])
        XCTAssertEqual(refused.status, 75, refused.stderr)
        XCTAssertTrue(refused.stdout.contains("certificate is not trusted"), refused.stdout)
        XCTAssertTrue(refused.stdout.contains("set mail.smtp.ca_file"), refused.stdout)
        XCTAssertFalse(refused.stdout.contains("OPENSSL_internal"), "no raw BoringSSL text: \(refused.stdout)")
        XCTAssertEqual(try plainAuth.received().count, 2, "no message went out over an unverified connection")
        // A plain smtp:// server that offers no STARTTLS is refused while starttls is on (the default).
        let noTLS = try startSink()
        let downgrade = try chargeback([
            "mail", "--config", try writeConfig("downgrade", smtp: "{ url: \"\(noTLS.url)\" }"),
            "--reports", try reportsCopy().path,
        ])
        XCTAssertEqual(downgrade.status, 75, downgrade.stderr)
        XCTAssertTrue(downgrade.stdout.contains("does not offer STARTTLS"), downgrade.stdout)
        XCTAssertEqual(try noTLS.received().count, 0)
        // A wrong password: 535, not retried.
        try Data("wrong\n".utf8).write(to: passwordFile)
        let denied = try chargeback(["mail", "--config", config, "--reports", try reportsCopy().path])
        XCTAssertEqual(denied.status, 75, denied.stderr)
        XCTAssertEqual(plainAuth.log.filter { $0 == "auth PLAIN refused" }.count, 1, "\(plainAuth.log)")
    }

    func testImplicitTLSWithAClientCertificateAndTheInsecureSwitch() throws {
        let tls = try ThrowawayCA(in: folder.appendingPathComponent("ca"))
        let sink = try startSink([
            "--tls-cert", tls.serverCert, "--tls-key", tls.serverKey, "--implicit-tls",
            "--client-ca", tls.caFile,
        ])
        let url = "smtps://127.0.0.1:\(sink.port)"
        let reports = try reportsCopy()
        let config = try writeConfig(
            "smtps",
            smtp: """
                { url: "\(url)", ca_file: \(tls.caFile), cert_file: \(tls.clientCert), key_file: \(tls.clientKey) }
                """)
        let run = try chargeback(["mail", "--config", config, "--reports", reports.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        let received = try sink.received()
        XCTAssertEqual(received.count, 2)
        XCTAssertTrue(received.allSatisfy(\.envelope.tls))
        try assertMessages(received, match: reports)

        // No client certificate: the server ends the handshake, and it is not retried.
        let noCert = try chargeback([
            "mail", "--config",
            try writeConfig(
                "no-cert",
                smtp: """
                    { url: "\(url)", ca_file: \(tls.caFile), retries: 2 }
                    """), "--reports", try reportsCopy().path,
        ])
        XCTAssertEqual(noCert.status, 75, noCert.stderr)
        XCTAssertTrue(noCert.stdout.contains("TLS"), noCert.stdout)
        // No CA but the explicit insecure switch: the server is not verified, the mail goes out.
        let insecure = try chargeback([
            "mail", "--config",
            try writeConfig(
                "insecure",
                smtp: """
                    { url: "\(url)", insecure_skip_verify: true, cert_file: \(tls.clientCert), key_file: \(tls.clientKey) }
                    """), "--reports", try reportsCopy().path,
        ])
        XCTAssertEqual(insecure.status, 0, insecure.stderr)
        XCTAssertEqual(try sink.received().count, 4)
    }

    func testAServerThatStopsAnsweringTimesOutAndIsTriedAgain() throws {
        let silent = try startSink(["--stall-after", "0"])
        let config = try writeConfig(
            "silent", smtp: "{ url: \"\(silent.url)\", starttls: false, timeout: 1s, retries: 1 }")
        let reports = try reportsCopy()
        let started = Date()
        let run = try chargeback(["mail", "--config", config, "--reports", reports.path])
        XCTAssertEqual(run.status, 75, run.stderr)
        XCTAssertTrue(run.stdout.contains("no reply within 1s (timed out)"), run.stdout)
        XCTAssertEqual(silent.log.filter { $0 == "stalling" }.count, 4, "each message tried twice: \(silent.log)")
        XCTAssertLessThan(Date().timeIntervalSince(started), 20)
    }

    func testA451IsRetriedAndA550IsNot() throws {
        let flaky = try startSink(["--data-replies", "451"])
        let reports = try reportsCopy()
        let run = try chargeback([
            "mail", "--config", try writeConfig("flaky", smtp: "{ url: \"\(flaky.url)\", starttls: false }"),
            "--reports", reports.path,
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(flaky.log.filter { $0.hasPrefix("data answered 451") }.count, 1)
        XCTAssertEqual(try flaky.received().count, 2, "the message answered 451 went out on the second attempt")
        XCTAssertEqual(try ledgerEntries(reports).map(\.attempts).max(), 2)

        let refusing = try startSink(["--reject-rcpt", "lead-research@example.com=550"])
        let refused = try reportsCopy()
        let config = try writeConfig("refusing", smtp: "{ url: \"\(refusing.url)\", starttls: false, retries: 3 }")
        let failed = try chargeback(["mail", "--config", config, "--reports", refused.path])
        XCTAssertEqual(failed.status, 75, "a refused recipient fails the run")
        XCTAssertTrue(failed.stderr.contains("1 recipient(s) did not get their mail"), failed.stderr)
        XCTAssertEqual(
            refusing.log.filter { $0.hasPrefix("rcpt lead-research@example.com rejected") }.count, 1,
            "a 5xx is not retried: \(refusing.log)")
        XCTAssertEqual(try refusing.received().count, 1, "Search's mail still went out")
        let ledger = try ledgerEntries(refused)
        let failure = try XCTUnwrap(ledger.first { $0.status == "failed" })
        XCTAssertEqual(failure.recipient, "lead-research@example.com")
        XCTAssertTrue(failure.reply.hasPrefix("550 5.1.1"), failure.reply)
        XCTAssertEqual(ledger.filter { $0.status == "accepted" }.count, 3)
        // A re-run tries only the failed recipient again.
        let retry = try chargeback(["mail", "--config", config, "--reports", refused.path])
        XCTAssertEqual(retry.status, 75)
        XCTAssertEqual(try refusing.received().count, 1, "the accepted ones were not sent again")
        XCTAssertEqual(refusing.log.filter { $0.hasPrefix("rcpt lead-research@example.com rejected") }.count, 2)
    }

    func testAKilledRunThenAReRunDeliversEveryMessageOnce() throws {
        let reports = try reportsCopy()
        let stalling = try startSink(["--stall-after", "1"])
        let config = try writeConfig("stall", smtp: "{ url: \"\(stalling.url)\", starttls: false, timeout: 1h }")
        let child = try ChildProcess.start(
            Self.binary, ["mail", "--config", config, "--reports", reports.path],
            environment: [:])
        let deadline = Date().addingTimeInterval(30)
        while !(stalling.log.contains("stalling") && (try? ledgerEntries(reports).isEmpty) == false)
            && Date() < deadline
        {
            usleep(50_000)
        }
        XCTAssertTrue(stalling.log.contains("stalling"), "the second transaction began: \(stalling.log)")
        child.kill(SIGKILL)
        XCTAssertEqual(child.wait().status, 128 + SIGKILL)
        let first = try stalling.received()
        XCTAssertEqual(first.count, 1, "one message was accepted before the kill")
        XCTAssertEqual(try ledgerEntries(reports).count, first[0].envelope.rcptTos.count, "and is in the ledger")

        let healthy = try startSink()
        let rerun = try chargeback([
            "mail", "--config", try writeConfig("healthy", smtp: "{ url: \"\(healthy.url)\", starttls: false }"),
            "--reports", reports.path,
        ])
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        var copies: [String: Int] = [:]
        for message in try first + healthy.received() {
            for recipient in message.envelope.rcptTos {
                copies["\(message.header("Message-ID") ?? "?") → \(recipient)", default: 0] += 1
            }
        }
        XCTAssertEqual(copies.count, 4, "every message reached every recipient: \(copies)")
        XCTAssertEqual(Set(copies.values), [1], "exactly once: \(copies)")
    }

    func testALineBreakInATeamNameOrOwnerExits64NamingTheFileAndLine() throws {
        let sink = try startSink()
        let smtp = "{ url: \"\(sink.url)\", starttls: false }"
        for (label, team, line) in [
            ("owner", #"{ name: Search, owner: "a@x.com\r\nBcc: evil@x.com" }"#, 3),
            ("name", #"{ name: "Search\r\nBcc: evil@x.com", owner: a@x.com }"#, 3),
            ("cc", #"{ name: Search, owner: a@x.com, cc: ["b@x.com", "c@x.com\nBcc: evil@x.com"] }"#, 3),
        ] {
            let teams = folder.appendingPathComponent("teams-\(label).yaml")
            try Data("# hostile\nteams:\n  - \(team)\nrules:\n  - { match: { gateway: \"*\" }, team: Search }\n".utf8)
                .write(to: teams)
            let config = try writeConfig(label, smtp: smtp, teams: teams.path)
            let run = try chargeback([
                "report", "--config", config, "--period", Self.period, "--split-by", "team", "--mail",
                "--prometheus-url", "http://127.0.0.1:1",
                "--output", folder.appendingPathComponent("out-\(label)").path,
            ])
            XCTAssertEqual(run.status, 64, "\(label): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains("\(teams.path):\(line):"), "\(label): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains("line break or control character"), "\(label): \(run.stderr)")
        }
        let missing = folder.appendingPathComponent("no-such-reports").path
        let noFolder = try chargeback([
            "mail", "--config", try writeConfig("missing", smtp: smtp), "--reports", missing,
        ])
        XCTAssertEqual(noFolder.status, 64, noFolder.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: missing), "no folder is made for a mistyped path")
        let empty = folder.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let noManifest = try chargeback([
            "mail", "--config", try writeConfig("empty", smtp: smtp), "--reports", empty.path,
        ])
        XCTAssertEqual(noManifest.status, 64, noManifest.stderr)
        XCTAssertTrue(noManifest.stderr.contains("no manifest.json"), noManifest.stderr)
        XCTAssertEqual(try sink.received().count, 0, "nothing went anywhere, evil@x.com least of all")
        XCTAssertFalse(sink.log.contains { $0.contains("evil") })
    }

    // MARK: - Checks

    /// Every mail the reports' manifest lists was received once, parses without defects, has a
    /// Date and its Message-ID, lines within RFC 5322's limits, and attachments whose bytes are
    /// the pack's workbook and Markdown in the reports folder.
    private func assertMessages(
        _ received: [SMTPSink.Received], match reports: URL,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let listed = try PackMessage.listed(in: reports)
        XCTAssertEqual(listed.count, received.count, file: file, line: line)
        for entry in listed {
            let pack = try PackMessage.load(entry.file, sha256: entry.sha256, in: reports)
            let matching = received.filter { $0.header("Message-ID") == pack.messageID }
            XCTAssertEqual(matching.count, 1, "\(entry.file) arrived once", file: file, line: line)
            guard let message = matching.first else { continue }
            XCTAssertEqual(message.defects, [], entry.file, file: file, line: line)
            XCTAssertNotNil(message.header("Date"), file: file, line: line)
            XCTAssertEqual(message.header("Auto-Submitted"), "auto-generated", file: file, line: line)
            XCTAssertLessThanOrEqual(message.maxLine, 998, file: file, line: line)
            XCTAssertFalse(message.bareLf, file: file, line: line)
            let packFolder = reports.appendingPathComponent(entry.file).deletingLastPathComponent()
            XCTAssertEqual(
                message.attachments.map(\.filename).map { $0.split(separator: ".").last.map(String.init) },
                ["xlsx", "md"], file: file, line: line)
            for attachment in message.attachments {
                let data = try Data(contentsOf: packFolder.appendingPathComponent(attachment.filename))
                XCTAssertEqual(
                    attachment.sha256, ManifestRenderer.sha256(data), "\(attachment.filename) is the file",
                    file: file, line: line)
                XCTAssertEqual(attachment.size, data.count, file: file, line: line)
            }
            XCTAssertEqual(
                message.attachments.first?.contentType,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", file: file, line: line)
        }
    }
}
