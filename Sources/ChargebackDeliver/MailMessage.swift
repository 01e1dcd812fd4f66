import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation

/// An RFC 5322 message with a MIME `multipart/mixed` body: a UTF-8 text part and attachments.
///
/// The one message builder of the tool (team packs' `.eml` files are made with it). Lines end in
/// CRLF and none is longer than 78 characters except unbreakable header words (never over 998):
/// the text is quoted-printable, attachments base64 in 76-character lines, non-ASCII names and
/// subjects RFC 2047 encoded words. Names and addresses are ``Mailbox`` values, which cannot hold
/// a line break, so no header can be injected.
public struct MailMessage: Sendable {
    /// A file attached to the message.
    public struct Attachment: Sendable {
        public let name: String
        public let contentType: String
        public let data: Data
        public init(name: String, contentType: String, data: Data) {
            self.name = name
            self.contentType = contentType
            self.data = data
        }
    }

    public var from: Mailbox?
    public var replyTo: Mailbox?
    public var to: [Mailbox]
    public var cc: [Mailbox] = []
    /// Written as a `Bcc:` header for `sendmail -t` and ``PackMessage``, which both remove it before sending.
    public var bcc: [Mailbox] = []
    public var subject: String
    public var date: Date
    /// With angle brackets, e.g. `<chargeback.2026-10.Search.1a2b@example.com>`.
    public var messageID: String
    public var text: String
    public var attachments: [Attachment]
    /// Further headers (name, value) after the standard ones, e.g. `Auto-Submitted`.
    public var extraHeaders: [(name: String, value: String)] = []

    public init(
        from: Mailbox?, replyTo: Mailbox? = nil, to: [Mailbox], cc: [Mailbox] = [], bcc: [Mailbox] = [],
        subject: String, date: Date, messageID: String, text: String, attachments: [Attachment]
    ) {
        self.from = from
        self.replyTo = replyTo
        self.to = to
        self.cc = cc
        self.bcc = bcc
        self.subject = subject
        self.date = date
        self.messageID = messageID
        self.text = text
        self.attachments = attachments
    }

    /// The message's bytes.
    ///
    /// The MIME boundary starts with `=_`, which neither quoted-printable (it writes `=` as `=3D`)
    /// nor base64 (no `_`) can produce, so it never occurs inside a part.
    public func rendered() -> Data {
        var digest = Data(text.utf8)
        for attachment in attachments { digest.append(attachment.data) }
        let boundary = "=_chargeback_" + ManifestRenderer.sha256(digest).prefix(32)
        var head: [String] = ["Date: \(MIMEText.date(date))"]
        if let from { head.append("From: \(from.header)") }
        if let replyTo { head.append("Reply-To: \(replyTo.header)") }
        head.append("To: \(MIMEText.addressList(to))")
        if !cc.isEmpty { head.append("Cc: \(MIMEText.addressList(cc))") }
        if !bcc.isEmpty { head.append("Bcc: \(MIMEText.addressList(bcc))") }
        head.append("Subject: \(MIMEText.header(subject))")
        head.append("Message-ID: \(messageID)")
        head.append("MIME-Version: 1.0")
        head += extraHeaders.map { "\($0.name): \(MIMEText.header($0.value))" }
        head.append("Content-Type: multipart/mixed;\r\n boundary=\"\(boundary)\"")
        var lines =
            head + [
                "",
                "This is a MIME message with attachments.",
                "",
                "--\(boundary)",
                "Content-Type: text/plain; charset=utf-8",
                "Content-Transfer-Encoding: quoted-printable",
                "",
                MIMEText.quotedPrintable(text),
            ]
        for attachment in attachments {
            let name = Self.safeFileName(attachment.name)
            lines += [
                "--\(boundary)",
                "Content-Type: \(attachment.contentType);\r\n name=\"\(name)\"",
                "Content-Transfer-Encoding: base64",
                "Content-Disposition: attachment;\r\n filename=\"\(name)\"",
                "",
                MIMEText.base64(attachment.data),
            ]
        }
        lines.append("--\(boundary)--")
        return Data((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    /// A file name for a quoted MIME parameter: printable ASCII without quotes or backslashes.
    static func safeFileName(_ name: String) -> String {
        let kept = name.unicodeScalars.filter {
            $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F && $0 != "\"" && $0 != "\\"
        }
        return String(String.UnicodeScalarView(kept)).prefix(120).description
    }
}
