import ChargebackCore
import Foundation
import TestSupport
import XCTest

/// Mail through relays as production has them: a slow server (no duplicate, `unknown` in the
/// ledger), one that rejects bare greeting names, partly refused mail after a written report
/// (exit 75), Message-IDs of a resend and of two output folders, and TLS failures in words.
final class MailRelayTests: MailTestCase {
    func testASlowServerPastTheTimeoutGetsOneCopyAndTheLedgerSaysUnknown() throws {
        let reports = try reportsCopy()
        let slow = try startSink(["--data-delay", "4"])
        let config = try writeConfig("slow", smtp: "{ url: \"\(slow.url)\", starttls: false, timeout: 1s, retries: 3 }")
        let run = try chargeback(["mail", "--config", config, "--reports", reports.path])
        XCTAssertEqual(run.status, 75, run.stderr)
        XCTAssertTrue(run.stdout.contains("0 failed, 4 unknown"), run.stdout)
        XCTAssertTrue(run.stdout.contains("UNKNOWN teams/Search/"), run.stdout)
        XCTAssertTrue(run.stderr.contains("look for Message-ID <chargeback."), run.stderr)
        let ledger = try ledgerEntries(reports)
        XCTAssertEqual(ledger.count, 4, "\(ledger)")
        XCTAssertTrue(
            ledger.allSatisfy { $0.status == "unknown" && $0.reply.contains("may have been delivered") }, "\(ledger)")
        XCTAssertEqual(try slow.received().count, 2, "each message once, no automatic second copy: \(slow.log)")

        // A re-run without --resend sends nothing and says what to check; --resend sends it again.
        let again = try chargeback(["mail", "--config", config, "--reports", reports.path])
        XCTAssertEqual(again.status, 75, again.stderr)
        XCTAssertTrue(again.stdout.contains("0 recipient(s) sent"), again.stdout)
        XCTAssertTrue(again.stdout.contains("NOT SENT AGAIN teams/Research/"), again.stdout)
        XCTAssertTrue(again.stderr.contains("chargeback mail --resend"), again.stderr)
        let dry = try chargeback(["mail", "--config", config, "--reports", reports.path, "--dry-run"])
        XCTAssertTrue(dry.stdout.contains("held back teams/Search/"), dry.stdout)
        XCTAssertEqual(try slow.received().count, 2, "still one copy each: \(slow.log)")

        let healthy = try startSink()
        let resend = try chargeback([
            "mail", "--config", try writeConfig("resend", smtp: "{ url: \"\(healthy.url)\", starttls: false }"),
            "--reports", reports.path, "--resend",
        ])
        XCTAssertEqual(resend.status, 0, resend.stderr)
        let first = Dictionary(
            try slow.received().map { ($0.envelope.rcptTos[0], $0) }, uniquingKeysWith: { first, _ in first })
        for message in try healthy.received() {
            let original = try XCTUnwrap(first[message.envelope.rcptTos[0]]?.header("Message-ID"))
            XCTAssertNotEqual(message.header("Message-ID"), original, "a resend is a new message")
            XCTAssertEqual(message.header("References"), original, "that references the first")
        }
        let resentIDs = try ledgerEntries(reports).filter { $0.status == "accepted" }.map(\.messageID)
        XCTAssertEqual(resentIDs.count, 4)
        XCTAssertTrue(resentIDs.allSatisfy { $0.contains(".resent-") }, "\(resentIDs)")
    }

    /// `CB_SLOW_RELAY_SECONDS=60` makes the relay as slow as the check (CI waits 4 s).
    func testTheDefaultTimeoutsWaitForASlowServer() throws {
        let reports = try reportsCopy()
        let delay = Int(ProcessInfo.processInfo.environment["CB_SLOW_RELAY_SECONDS"] ?? "") ?? 4
        let slow = try startSink(["--data-delay", String(delay)])
        let started = Date()
        let run = try chargeback([
            "mail", "--config", try writeConfig("patient", smtp: "{ url: \"\(slow.url)\", starttls: false }"),
            "--reports", reports.path,
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try slow.received().count, 2, "exactly one copy each: \(slow.log)")
        XCTAssertEqual(slow.log.filter { $0.hasPrefix("answered") }.count, 2, "\(slow.log)")
        XCTAssertTrue(try ledgerEntries(reports).allSatisfy { $0.status == "accepted" })
        XCTAssertLessThan(Date().timeIntervalSince(started), Double(2 * delay + 12))
    }

    func testARelayThatRejectsBareGreetingNamesAcceptsTheDefaultOne() throws {
        let strict = try startSink(["--reject-non-fqdn-helo"])
        let run = try chargeback([
            "mail", "--config", try writeConfig("strict", smtp: "{ url: \"\(strict.url)\", starttls: false }"),
            "--reports", try reportsCopy().path,
        ])
        XCTAssertEqual(run.status, 0, "\(run.stdout)\(run.stderr)")
        XCTAssertEqual(try strict.received().count, 2)
        let names = Set(strict.log.filter { $0.hasPrefix("helo ") })
        XCTAssertFalse(names.isEmpty)
        XCTAssertTrue(
            names.allSatisfy { $0 == "helo [127.0.0.1]" || SMTPHelloName.isValid(String($0.dropFirst(5))) }, "\(names)")

        let named = try chargeback([
            "mail", "--reports", try reportsCopy().path, "--config",
            try writeConfig("helo", smtp: "{ url: \"\(strict.url)\", starttls: false, helo: client.example.com }"),
        ])
        XCTAssertEqual(named.status, 0, named.stderr)
        XCTAssertTrue(strict.log.contains("helo client.example.com"), "\(strict.log)")
    }

    func testAWrittenReportWhoseMailIsPartlyRefusedExits75() throws {
        let world = try SampleWorld.get()
        let refusing = try startSink(["--reject-rcpt", "lead-research@example.com=550"])
        let reports = folder.appendingPathComponent("reports")
        let run = try chargeback([
            "report", "--config",
            try writeConfig("refusing", smtp: "{ url: \"\(refusing.url)\", starttls: false }"),
            "--period", Self.period, "--prometheus-url", world.url, "--output", reports.path,
            "--split-by", "team", "--mail",
        ])
        XCTAssertEqual(run.status, 75, run.stderr)
        XCTAssertTrue(run.stderr.contains("1 recipient(s) did not get their mail"), run.stderr)
        for file in [
            "manifest.json", "chargeback-\(Self.period).md", "teams/Search/chargeback-\(Self.period)-Search.eml",
        ] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: reports.appendingPathComponent(file).path), file)
        }
        XCTAssertEqual(try refusing.received().count, 1, "Search's mail went out")
    }

    func testTwoOutputFoldersForTheSameFiguresGiveTheSameMessageIDs() throws {
        let world = try SampleWorld.get()
        let first = try reportsCopy()
        let other = folder.appendingPathComponent("elsewhere")
        let run = try chargeback([
            "report", "--config",
            try writeConfig("other", smtp: "{ url: \"smtp://127.0.0.1:1\", starttls: false }"),
            "--period", Self.period, "--prometheus-url", world.url, "--output", other.path, "--split-by", "team",
            "--quiet",
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        func ids(_ reports: URL) throws -> [String] {
            try PackMessage.listed(in: reports).map { try PackMessage.load($0.file, sha256: $0.sha256, in: reports) }
                .map(\.messageID)
        }
        XCTAssertEqual(try ids(first).count, 2)
        XCTAssertEqual(try ids(first), try ids(other))
    }

    func testCertificateFailuresSayWhatFailedAndWhatFixesIt() throws {
        let byName = try ThrowawayCA(in: folder.appendingPathComponent("ca-name"), serverNames: "DNS:mail.test")
        let sink = try startSink([
            "--tls-cert", byName.serverCert, "--tls-key", byName.serverKey, "--implicit-tls",
        ])
        let noIPSAN = try chargeback([
            "mail", "--reports", try reportsCopy().path, "--config",
            try writeConfig(
                "ip", smtp: "{ url: \"smtps://127.0.0.1:\(sink.port)\", ca_file: \(byName.caFile), retries: 0 }"),
        ])
        XCTAssertEqual(noIPSAN.status, 75, noIPSAN.stderr)
        XCTAssertTrue(noIPSAN.stdout.contains("certificate has no IP SAN for 127.0.0.1"), noIPSAN.stdout)
        XCTAssertFalse(noIPSAN.stdout.contains("<none>"), noIPSAN.stdout)

        let wrongName = try chargeback([
            "mail", "--reports", try reportsCopy().path, "--config",
            try writeConfig(
                "name", smtp: "{ url: \"smtps://localhost:\(sink.port)\", ca_file: \(byName.caFile), retries: 0 }"),
        ])
        XCTAssertEqual(wrongName.status, 75, wrongName.stderr)
        XCTAssertTrue(wrongName.stdout.contains("certificate is not for localhost"), wrongName.stdout)
        XCTAssertEqual(try sink.received().count, 0)

        let old = try ThrowawayCA(in: folder.appendingPathComponent("ca-old"), expiredServer: true)
        let expiredSink = try startSink(["--tls-cert", old.serverCert, "--tls-key", old.serverKey])
        let expired = try chargeback([
            "mail", "--reports", try reportsCopy().path, "--config",
            try writeConfig(
                "expired", smtp: "{ url: \"\(expiredSink.url)\", ca_file: \(old.caFile), retries: 0 }"),
        ])
        XCTAssertEqual(expired.status, 75, expired.stderr)
        XCTAssertTrue(
            expired.stdout.contains("certificate expired on 2020-01-02T00:00:00Z: 127.0.0.1 needs a new one"),
            expired.stdout)
        XCTAssertEqual(try expiredSink.received().count, 0)
    }
}
