import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// The `mail:` block of chargeback.yaml and the addresses of teams.yaml: what loads, and what is
/// refused with the file and line.
final class MailConfigTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("cb-mailcfg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("models:\n  - { match: \"*\", prices: [ { from: 2024-01-01, input: 1, output: 2 } ] }\n".utf8)
            .write(to: folder.appendingPathComponent("pricing.yaml"))
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: folder)
    }

    func load(mail: String, teams: String = "teams:\n  - { name: A, owner: a@example.com }\n") throws
        -> ChargebackConfig
    {
        try Data(teams.utf8).write(to: folder.appendingPathComponent("teams.yaml"))
        let config = "prometheus: { url: http://127.0.0.1:9090 }\npricing: pricing.yaml\nteams: teams.yaml\n" + mail
        let path = folder.appendingPathComponent("chargeback.yaml")
        try Data(config.utf8).write(to: path)
        return try ConfigLoader.load(path: path.path)
    }

    func error(mail: String, teams: String = "teams:\n  - { name: A, owner: a@example.com }\n") -> InputError? {
        do {
            _ = try load(mail: mail, teams: teams)
            return nil
        } catch {
            return error as? InputError
        }
    }

    func testTheMailBlockLoads() throws {
        let config = try load(
            mail: """
                mail:
                  from: "FinOps <finops@example.com>"
                  reply_to: help@example.com
                  smtp: { url: "smtp://mail.example.com:587", username: bot, password_env: SMTP_PASSWORD,
                          ca_file: ca.pem, timeout: 10s, retries: 2 }
                """,
            teams:
                "teams:\n  - { name: A, owner: \"Ann <a@example.com>\", cc: c@example.com, bcc: [b@example.com, d@example.com] }\n"
        )
        let mail = try XCTUnwrap(config.mail)
        XCTAssertEqual(mail.from, Mailbox(name: "FinOps", address: "finops@example.com"))
        XCTAssertEqual(mail.replyTo?.address, "help@example.com")
        XCTAssertEqual(mail.smtp.host, "mail.example.com")
        XCTAssertEqual(mail.smtp.port, 587)
        XCTAssertEqual(mail.smtp.security, .starttls, "STARTTLS unless said otherwise")
        XCTAssertEqual(mail.smtp.password, .environment("SMTP_PASSWORD"))
        XCTAssertEqual(mail.smtp.tls.caFile, folder.appendingPathComponent("ca.pem").standardizedFileURL.path)
        XCTAssertEqual(mail.smtp.timeouts, .uniform(10), "timeout sets every wait")
        XCTAssertEqual(mail.smtp.retries, 2)
        XCTAssertEqual(config.teams.teams[0].cc.map(\.address), ["c@example.com"])
        XCTAssertEqual(config.teams.teams[0].bcc.map(\.address), ["b@example.com", "d@example.com"])
        let implicit = try load(mail: "mail: { from: f@example.com, smtp: { url: \"smtps://mail.example.com\" } }\n")
        XCTAssertEqual(implicit.mail?.smtp.security, .implicitTLS)
        XCTAssertEqual(implicit.mail?.smtp.port, 465)
        XCTAssertEqual(implicit.mail?.smtp.timeouts, .rfc5321, "without timeout, RFC 5321's waits")
        XCTAssertEqual(implicit.mail?.smtp.timeouts.dataTermination, 600)
        XCTAssertNil(implicit.mail?.smtp.helo)
        let named = try load(
            mail: "mail: { from: f@example.com, smtp: { url: \"smtp://h\", helo: relay.example.com } }\n")
        XCTAssertEqual(named.mail?.smtp.helo, "relay.example.com")
        XCTAssertNil(try load(mail: "").mail)
    }

    func testBadMailSettingsNameTheFileAndLine() {
        let cases: [(String, Int, String)] = [
            (
                "mail:\n  from: f@example.com\n  smtp: { url: \"smtp://h:25\", tiemout: 5s }\n", 6,
                "unknown key 'tiemout'"
            ),
            ("mail:\n  from: f@example.com\n  smtp: { url: \"http://h:25\" }\n", 6, "expected smtp://host:port"),
            ("mail:\n  from: f@example.com\n  smtp: { url: \"smtp://u:p@h:25\" }\n", 6, "must not contain credentials"),
            ("mail:\n  from: \"f@example.com\\r\\nBcc: e@x.com\"\n  smtp: { url: \"smtp://h\" }\n", 5, "line break"),
            (
                "mail:\n  from: f@example.com\n  smtp: { url: \"smtp://h\", starttls: false, username: u,\n"
                    + "          password_file: p }\n", 6, "clear text"
            ),
            ("mail:\n  from: f@example.com\n  smtp: { url: \"smtp://h\", username: u }\n", 6, "needs password_file"),
            ("mail:\n  from: f@example.com\n  smtp: { url: \"smtps://h\", starttls: true }\n", 6, "TLS from the start"),
            ("mail:\n  from: f@example.com\n  smtp: { url: \"smtp://h\", password_env: X }\n", 6, "needs a username"),
            ("mail:\n  from: f@example.com\n  smtp: { url: \"smtp://h\", helo: vm }\n", 6, "fully qualified"),
        ]
        for (mail, line, text) in cases {
            let error = self.error(mail: mail)
            XCTAssertEqual(error?.line, line, "\(mail): \(String(describing: error))")
            XCTAssertTrue(error?.file?.hasSuffix("chargeback.yaml") == true, "\(String(describing: error))")
            XCTAssertTrue(error?.message.contains(text) == true, "\(String(describing: error?.message)) for \(mail)")
        }
    }

    func testLineBreaksInTeamNamesOwnersAndCopiesAreRefused() {
        for teams in [
            "teams:\n  - { name: A, owner: \"a@x.com\\r\\nBcc: evil@x.com\" }\n",
            "teams:\n  - { name: \"A\\r\\nBcc: evil@x.com\", owner: a@x.com }\n",
            "teams:\n  - { name: A, owner: a@x.com, cc: [\"b@x.com\", \"c@x.com\\nBcc: evil@x.com\"] }\n",
            "teams:\n  - { name: A, owner: a@x.com, bcc: \"b@x.com\\u2028Bcc: evil@x.com\" }\n",
        ] {
            let error = self.error(mail: "", teams: teams)
            XCTAssertEqual(error?.line, 2, teams)
            XCTAssertTrue(error?.file?.hasSuffix("teams.yaml") == true, "\(String(describing: error))")
            XCTAssertTrue(
                error?.message.contains("line break or control character") == true,
                "\(String(describing: error?.message))")
        }
        let notAnAddress = error(mail: "", teams: "teams:\n  - { name: A, owner: Ann Lead }\n")
        XCTAssertTrue(
            notAnAddress?.message.contains("is not a mail address") == true, "\(String(describing: notAnAddress))")
    }
}
