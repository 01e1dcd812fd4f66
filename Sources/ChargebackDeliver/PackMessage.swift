import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation

/// A team mail that `report --split-by team` wrote into a reports folder, read back for sending.
///
/// Which mails belong to the folder's latest report comes from its `manifest.json`, which also
/// holds each file's SHA-256: a mail changed since the report wrote it is refused. The header
/// block is parsed only as far as sending needs (recipients, Message-ID, subject, attachments)
/// and every line is checked to be 7-bit text of at most 998 characters ending in CRLF.
public struct PackMessage: Sendable {
    /// The path under the reports folder, e.g. `teams/Search/chargeback-2026-10-Search.eml`.
    public let file: String
    public let sha256: String
    /// The file's Message-ID; a resend sends a new one (``MailDelivery``).
    public internal(set) var messageID: String
    /// The subject with encoded words decoded, for people.
    public let subject: String
    public let to: [Mailbox]
    public let cc: [Mailbox]
    public let bcc: [Mailbox]
    /// Attachment file names and decoded sizes in bytes.
    public let attachments: [(name: String, bytes: Int)]
    /// The file's header lines (unfolded fields keep their continuation lines) and body.
    private let fields: [(name: String, lines: [String])]
    private let body: Data

    /// Every envelope recipient (To, Cc, then Bcc), each address once.
    public var recipients: [String] {
        var seen = Set<String>()
        return (to + cc + bcc).map(\.address).filter { seen.insert($0.lowercased()).inserted }
    }

    /// The bytes to send: the file without its `Bcc:` field, with `From:` and `Reply-To:` from
    /// the config added when the file has none (as `sendmail -t` does).
    /// - Parameter resentOf: for a resend, the first Message-ID: the message then carries
    ///   ``messageID`` and `References:` to the first.
    public func wireData(from: Mailbox, replyTo: Mailbox?, resentOf first: String? = nil) -> Data {
        var head: [String] = []
        let names = Set(fields.map { $0.name.lowercased() })
        if !names.contains("from") { head.append("From: \(from.header)") }
        if !names.contains("reply-to"), let replyTo { head.append("Reply-To: \(replyTo.header)") }
        for field in fields where field.name.lowercased() != "bcc" {
            if let first, field.name.lowercased() == "message-id" {
                head += ["Message-ID: \(messageID)", "References: \(first)"]
            } else {
                head += field.lines
            }
        }
        var data = Data((head.joined(separator: "\r\n") + "\r\n\r\n").utf8)
        data.append(body)
        return data
    }

    /// The mails listed in `manifest.json` of `directory`, in its order.
    /// - Throws: ``InputError`` when the manifest is missing or unreadable, or lists no mail.
    public static func listed(in directory: URL) throws -> [(file: String, sha256: String)] {
        let path = directory.appendingPathComponent("manifest.json").path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(
                file: path,
                "no manifest.json: --reports must be a folder a report run wrote "
                    + "(chargeback report --split-by team --output DIR)")
        }
        guard let manifest = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            let outputs = manifest["outputs"] as? [[String: Any]]
        else {
            throw InputError(file: path, "not a chargeback manifest (no outputs list)")
        }
        let mails = outputs.compactMap { entry -> (String, String)? in
            guard let file = entry["file"] as? String, file.hasPrefix("teams/"), file.hasSuffix(".eml"),
                let sha = entry["sha256"] as? String
            else { return nil }
            return (file, sha)
        }
        guard !mails.isEmpty else {
            throw InputError(
                file: path,
                "the report lists no team mails: run the report with --split-by team, "
                    + "and give the teams an owner in teams.yaml")
        }
        return mails
    }

    /// Reads and checks one mail.
    /// - Throws: ``InputError`` naming the file (and line) when it changed since the report, is
    ///   not text we write, or lacks a recipient or Message-ID.
    public static func load(_ file: String, sha256 expected: String, in directory: URL) throws -> PackMessage {
        let url = directory.appendingPathComponent(file)
        try StagedOutput.checkName(file)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw InputError(file: url.path, "the mail the manifest lists cannot be read")
        }
        let sha = ManifestRenderer.sha256(data)
        guard sha == expected else {
            throw InputError(
                file: url.path,
                "the mail changed after the report wrote it (its SHA-256 differs from "
                    + "manifest.json); run the report again")
        }
        let bytes = [UInt8](data)
        guard let split = Self.blankLine(in: bytes) else {
            throw InputError(file: url.path, "no blank line ends the header")
        }
        var lines: [String] = []
        var lineNumber = 0
        var start = 0
        for (index, byte) in bytes.enumerated() {
            if byte == 0x0A {
                lineNumber += 1
                guard index > start, bytes[index - 1] == 0x0D else {
                    throw InputError(file: url.path, line: lineNumber, "a line ends without CRLF")
                }
                guard index - 1 - start <= 998 else {
                    throw InputError(file: url.path, line: lineNumber, "a line is longer than 998 characters")
                }
                if index < split - 2 { lines.append(String(decoding: bytes[start..<(index - 1)], as: UTF8.self)) }
                start = index + 1
            } else if byte >= 0x80 || byte == 0 || (byte == 0x0D && index + 1 < bytes.count && bytes[index + 1] != 0x0A)
            {
                throw InputError(file: url.path, line: lineNumber + 1, "not 7-bit mail text (byte \(byte))")
            }
        }
        guard start == bytes.count else { throw InputError(file: url.path, "the last line does not end in CRLF") }
        var fields: [(name: String, lines: [String])] = []
        for (index, line) in lines.enumerated() {
            if line.hasPrefix(" ") || line.hasPrefix("\t") {
                guard !fields.isEmpty else { throw InputError(file: url.path, line: 1, "the header starts folded") }
                fields[fields.count - 1].lines.append(line)
            } else if let colon = line.firstIndex(of: ":"), colon != line.startIndex {
                fields.append((String(line[..<colon]), [line]))
            } else {
                throw InputError(file: url.path, line: index + 1, "not a header line")
            }
        }
        func value(_ name: String) -> String? {
            fields.first { $0.name.lowercased() == name }.map { field in
                let joined = field.lines.joined()
                return String(joined[joined.index(after: joined.firstIndex(of: ":")!)...])
                    .trimmingCharacters(in: .whitespaces)
            }
        }
        func addresses(_ name: String) throws -> [Mailbox] {
            guard let list = value(name) else { return [] }
            return try Self.splitList(list).map { item in
                switch Mailbox.parse(item) {
                case .success(let mailbox): return mailbox
                case .failure(let problem): throw InputError(file: url.path, "\(name.capitalized): \(problem.reason)")
                }
            }
        }
        let to = try addresses("to")
        let cc = try addresses("cc")
        let bcc = try addresses("bcc")
        guard !(to + cc + bcc).isEmpty else { throw InputError(file: url.path, "the mail has no recipient") }
        guard let messageID = value("message-id"), messageID.hasPrefix("<"), messageID.hasSuffix(">") else {
            throw InputError(file: url.path, "the mail has no Message-ID")
        }
        let body = Data(bytes[split...])
        return PackMessage(
            file: file, sha256: sha, messageID: messageID,
            subject: MIMEText.decodeWords(value("subject") ?? ""), to: to, cc: cc, bcc: bcc,
            attachments: Self.attachments(body: body, contentType: value("content-type") ?? ""),
            fields: fields, body: body)
    }

    /// The offset just after the first empty line (`CRLF CRLF`).
    private static func blankLine(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 0x0D && bytes[index + 1] == 0x0A && bytes[index + 2] == 0x0D && bytes[index + 3] == 0x0A {
            return index + 4
        }
        return nil
    }

    /// An address list split at commas outside quotes and angle brackets.
    static func splitList(_ list: String) -> [String] {
        var items: [String] = []
        var current = ""
        var quoted = false
        var angle = false
        var escaped = false
        for character in list {
            if escaped {
                escaped = false
            } else if character == "\\" && quoted {
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
            } else if character == "<" && !quoted {
                angle = true
            } else if character == ">" && !quoted {
                angle = false
            } else if character == "," && !quoted && !angle {
                items.append(current)
                current = ""
                continue
            }
            current.append(character)
        }
        items.append(current)
        return items.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Names and decoded sizes of the base64 attachments of a `multipart/mixed` body.
    private static func attachments(body: Data, contentType: String) -> [(name: String, bytes: Int)] {
        guard let range = contentType.range(of: #"boundary="([^"]+)""#, options: .regularExpression) else { return [] }
        let boundary = "--" + contentType[range].dropFirst("boundary=\"".count).dropLast()
        let text = String(decoding: body, as: UTF8.self)
        return text.components(separatedBy: boundary).compactMap { part in
            guard let head = part.range(of: "\r\n\r\n"),
                let name = part[..<head.lowerBound].range(of: #"filename="([^"]*)""#, options: .regularExpression)
            else { return nil }
            let encoded = part[head.upperBound...].filter { !$0.isWhitespace }
            return (
                String(part[name].dropFirst("filename=\"".count).dropLast()),
                Data(base64Encoded: String(encoded))?.count ?? 0
            )
        }
    }
}
