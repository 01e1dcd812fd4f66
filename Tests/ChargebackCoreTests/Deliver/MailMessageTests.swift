import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// The message builder, read back the way `chargeback mail` reads a pack's `.eml`.
final class MailMessageTests: XCTestCase {
    static let date = DateText.parseInstant("2026-11-01T06:00:00Z")!

    static func message(
        subject: String = "Chargeback 2026-10 für Équipe Données: $1,234.56",
        text: String = "Hello,\n.a line starting with a dot\nCost: 1 = 1\n"
    ) -> MailMessage {
        MailMessage(
            from: Mailbox(name: "Équipe FinOps", address: "finops@example.com"),
            replyTo: Mailbox(name: "Doe, Jane", address: "jane@example.com"),
            to: [Mailbox(name: "Zoë Müller", address: "zoe@example.com")],
            cc: [Mailbox(address: "cc@example.com")], bcc: [Mailbox(address: "hidden@example.com")],
            subject: subject, date: date, messageID: "<chargeback.2026-10.Search.0123@example.com>", text: text,
            attachments: [
                MailMessage.Attachment(
                    name: "a.xlsx", contentType: "application/octet-stream",
                    data: Data((0..<5000).map { UInt8($0 % 256) })),
                MailMessage.Attachment(
                    name: "a.md", contentType: "text/markdown; charset=utf-8",
                    data: Data("# Report\n\n.dot\n".utf8)),
            ])
    }

    func testLinesAreShortCRLFTerminatedSevenBitAndNamesAreEncodedWords() throws {
        let long = String(repeating: "chargeback ", count: 30) + "ünïcode at the end"
        for subject in ["Chargeback 2026-10 für Équipe Données: $1,234.56", long, String(repeating: "x", count: 1200)] {
            let data = Self.message(subject: subject).rendered()
            let text = String(decoding: data, as: UTF8.self)
            XCTAssertTrue(data.allSatisfy { $0 < 0x80 }, "7-bit")
            XCTAssertFalse(text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "CRLF only")
            XCTAssertFalse(text.replacingOccurrences(of: "\r\n", with: "").contains("\r"), "CRLF only")
            let lines = text.components(separatedBy: "\r\n")
            XCTAssertLessThanOrEqual(lines.map(\.utf8.count).max() ?? 0, 78, "every line within 78 characters")
            let head = text.components(separatedBy: "\r\n\r\n")[0]
            XCTAssertTrue(head.contains("From: =?UTF-8?B?"), head)
            XCTAssertTrue(head.contains("Reply-To: \"Doe, Jane\" <jane@example.com>"), head)
            XCTAssertTrue(head.contains("Date: Sun, 01 Nov 2026 06:00:00 +0000"), head)
            XCTAssertTrue(head.contains("Message-ID: <chargeback.2026-10.Search.0123@example.com>"), head)
            let unfolded = head.replacingOccurrences(of: "\r\n ", with: " ")
            let subjectLine = try XCTUnwrap(
                unfolded.components(separatedBy: "\r\n").first { $0.hasPrefix("Subject: ") })
            XCTAssertEqual(MIMEText.decodeWords(String(subjectLine.dropFirst("Subject: ".count))), subject)
        }
    }

    func testAPackMailReadsBackWithoutItsBccAndWithTheSendersAddress() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cb-mime-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        var withoutFrom = Self.message()
        withoutFrom.from = nil
        withoutFrom.replyTo = nil
        let data = withoutFrom.rendered()
        let pack = try write(data, in: folder)
        XCTAssertEqual(pack.recipients, ["zoe@example.com", "cc@example.com", "hidden@example.com"])
        XCTAssertEqual(pack.subject, "Chargeback 2026-10 für Équipe Données: $1,234.56")
        XCTAssertEqual(pack.to.first?.address, "zoe@example.com")
        XCTAssertEqual(pack.attachments.map(\.name), ["a.xlsx", "a.md"])
        XCTAssertEqual(pack.attachments.map(\.bytes), withoutFrom.attachments.map(\.data.count))
        let wire = String(
            decoding: pack.wireData(
                from: Mailbox(address: "finops@example.com"),
                replyTo: Mailbox(address: "help@example.com")), as: UTF8.self)
        XCTAssertFalse(wire.contains("hidden@example.com"), "the Bcc field is not sent")
        XCTAssertFalse(wire.contains("Bcc:"))
        XCTAssertTrue(wire.hasPrefix("From: finops@example.com\r\nReply-To: help@example.com\r\nDate: "), wire)
        let original = String(decoding: data, as: UTF8.self)
        XCTAssertEqual(
            wire.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n"),
            original.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n"),
            "the body goes out as written")
        var resent = pack
        resent.messageID = MailDelivery.resentID(of: pack.messageID, at: Self.date)
        XCTAssertTrue(
            resent.messageID.hasPrefix(
                String(pack.messageID.dropLast().prefix { $0 != "@" }) + ".resent-20261101060000-"))
        XCTAssertTrue(resent.messageID.hasSuffix("@example.com>"), resent.messageID)
        let resentWire = String(
            decoding: resent.wireData(from: Mailbox(address: "f@x.com"), replyTo: nil, resentOf: pack.messageID),
            as: UTF8.self)
        XCTAssertTrue(
            resentWire.contains("\r\nMessage-ID: \(resent.messageID)\r\nReferences: \(pack.messageID)\r\n"), resentWire)
        XCTAssertEqual(resentWire.components(separatedBy: "Message-ID:").count, 2, "one Message-ID")
    }

    func testAChangedOrMalformedPackMailIsRefusedNamingTheFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cb-mime-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = Self.message().rendered()
        _ = try write(good, in: folder)
        let path = folder.appendingPathComponent("teams/T/t.eml")
        try (good + Data("tampered\r\n".utf8)).write(to: path)
        XCTAssertThrowsError(try PackMessage.load("teams/T/t.eml", sha256: ManifestRenderer.sha256(good), in: folder)) {
            XCTAssertTrue("\($0)".contains("changed after the report wrote it"), "\($0)")
        }
        let injected = Data("To: a@x.com\r\nBcc: evil@x.com\nX: y\r\nMessage-ID: <a@x>\r\n\r\nbody\r\n".utf8)
        try injected.write(to: path)
        XCTAssertThrowsError(
            try PackMessage.load("teams/T/t.eml", sha256: ManifestRenderer.sha256(injected), in: folder)
        ) {
            let error = $0 as? InputError
            XCTAssertEqual(error?.file, path.path)
            XCTAssertEqual(error?.line, 2, "a bare LF is named by line")
        }
        let long = Data(("To: a@x.com\r\nMessage-ID: <a@x>\r\n\r\n" + String(repeating: "x", count: 999) + "\r\n").utf8)
        try long.write(to: path)
        XCTAssertThrowsError(try PackMessage.load("teams/T/t.eml", sha256: ManifestRenderer.sha256(long), in: folder)) {
            XCTAssertTrue("\($0)".contains("longer than 998"), "\($0)")
        }
    }

    func testDotStuffingDoublesLeadingDotsAndEndsTheData() {
        let data = Data("a\r\n.b\r\n..c\r\nd.\r\n".utf8)
        XCTAssertEqual(String(decoding: SMTPSession.dotStuffed(data), as: UTF8.self), "a\r\n..b\r\n...c\r\nd.\r\n.\r\n")
        XCTAssertEqual(String(decoding: SMTPSession.dotStuffed(Data(".\r\n".utf8)), as: UTF8.self), "..\r\n.\r\n")
    }

    func testMailboxesRefuseLineBreaksAndAnythingButOneAddress() {
        let valid: [(String, String?, String)] = [
            ("a@example.com", nil, "a@example.com"),
            ("  Zoë Müller <zoe@example.com> ", "Zoë Müller", "zoe@example.com"),
            ("\"Doe, Jane\" <jane@example.com>", "Doe, Jane", "jane@example.com"),
        ]
        for (text, name, address) in valid {
            let mailbox = try? Mailbox.parse(text).get()
            XCTAssertEqual(mailbox?.name, name, text)
            XCTAssertEqual(mailbox?.address, address, text)
        }
        for text in [
            "a@x.com\r\nBcc: evil@x.com", "a@x.com\nBcc: evil@x.com", "Name\u{2028} <a@x.com>", "a@x.com\u{0}",
            "a@x.com, b@x.com", "not an address", "a@@x.com", "a@x", "<a@x.com", "a@x.com>", "",
        ] {
            XCTAssertNil(try? Mailbox.parse(text).get(), text.debugDescription)
        }
        XCTAssertEqual(Mailbox(name: "Ops Team", address: "o@x.com").header, "Ops Team <o@x.com>")
        XCTAssertEqual(Mailbox(name: "a\"b", address: "o@x.com").header, "\"a\\\"b\" <o@x.com>")
        XCTAssertEqual(Mailbox(name: "Zoë", address: "o@x.com").header, "=?UTF-8?B?Wm/Dqw==?= <o@x.com>")
    }

    func testRepliesParseLineByLine() {
        XCTAssertEqual(SMTPReply.parseLine("250-sink.test")?.more, true)
        XCTAssertEqual(SMTPReply.parseLine("250 2.0.0 Ok")?.text, "2.0.0 Ok")
        XCTAssertEqual(SMTPReply.parseLine("354")?.code, 354)
        for bad in ["25", "2500 x", "abc ok", "150 too low", "250x"] {
            XCTAssertNil(SMTPReply.parseLine(bad), bad)
        }
        XCTAssertTrue(SMTPReply(code: 451, lines: []).isTransient)
        XCTAssertFalse(SMTPReply(code: 550, lines: []).isTransient)
        XCTAssertTrue(SMTPError.reply(command: "DATA", SMTPReply(code: 421, lines: [])).isTransient)
        XCTAssertFalse(SMTPError.reply(command: "DATA", SMTPReply(code: 554, lines: [])).isTransient)
        XCTAssertTrue(SMTPError.connection("refused").isTransient)
        XCTAssertFalse(SMTPError.tls("bad certificate").isTransient)
    }

    /// Writes `data` as `teams/T/t.eml` with a manifest listing it, and loads it back.
    private func write(_ data: Data, in folder: URL) throws -> PackMessage {
        let path = folder.appendingPathComponent("teams/T/t.eml")
        try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: path)
        let manifest = [
            "outputs": [["file": "teams/T/t.eml", "bytes": data.count, "sha256": ManifestRenderer.sha256(data)]]
        ]
        try JSONSerialization.data(withJSONObject: manifest).write(to: folder.appendingPathComponent("manifest.json"))
        let listed = try PackMessage.listed(in: folder)
        XCTAssertEqual(listed.map(\.file), ["teams/T/t.eml"])
        return try PackMessage.load(listed[0].file, sha256: listed[0].sha256, in: folder)
    }
}
