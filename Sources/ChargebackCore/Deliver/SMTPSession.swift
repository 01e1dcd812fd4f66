import Foundation
import Logging
import NIOSSL

/// A logged-in SMTP conversation (RFC 5321): greeting, EHLO, STARTTLS, AUTH, then one mail
/// transaction per ``send(from:to:data:)``.
struct SMTPSession {
    private let connection: SMTPConnection
    private let logger: Logger
    /// Replaces secrets in server text before it is logged, recorded or shown.
    private let redact: @Sendable (String) -> String

    /// Connects and gets ready to send.
    /// - Parameters:
    ///   - tls: the TLS context, for STARTTLS and `smtps://`.
    ///   - password: with `settings.username`, for AUTH PLAIN or LOGIN.
    /// - Throws: ``SMTPError``.
    static func open(
        _ settings: SMTPSettings, tls: NIOSSLContext?, password: String?, logger: Logger,
        redact: @escaping @Sendable (String) -> String
    ) async throws -> SMTPSession {
        let connection = try await SMTPConnection.open(
            host: settings.host, port: settings.port,
            tls: settings.security == .implicitTLS ? tls : nil,
            timeout: settings.timeout)
        let session = SMTPSession(connection: connection, logger: logger, redact: redact)
        do {
            try session.expect(220, try await connection.reply(), "the greeting")
            var capabilities = try await session.hello()
            if settings.security == .starttls, let tls {
                guard capabilities.contains("STARTTLS") else {
                    throw SMTPError.refused(
                        "\(settings.displayURL) does not offer STARTTLS; set starttls: false "
                            + "only for a relay on a trusted network")
                }
                try session.expect(220, try await connection.command("STARTTLS"), "STARTTLS")
                try await connection.startTLS(tls, host: settings.host)
                capabilities = try await session.hello()
            }
            if let username = settings.username, let password {
                try await session.authenticate(username: username, password: password, capabilities: capabilities)
            }
            return session
        } catch {
            await connection.close()
            throw error
        }
    }

    /// One mail transaction.
    /// - Returns: each recipient's outcome: the reply to the end of DATA when the server took
    ///   the recipient, else its reply to `RCPT TO` (or to `MAIL FROM` / `DATA` when those failed).
    /// - Throws: ``SMTPError/connection(_:)`` when the connection fails on the way.
    func send(from: String, to recipients: [String], data: Data) async throws -> [String: SMTPReply] {
        var outcome: [String: SMTPReply] = [:]
        let mail = try await connection.command("MAIL FROM:<\(from)>")
        guard mail.code == 250 else {
            _ = try? await connection.command("RSET")
            return Dictionary(uniqueKeysWithValues: recipients.map { ($0, clean(mail)) })
        }
        var taken: [String] = []
        for recipient in recipients {
            let reply = try await connection.command("RCPT TO:<\(recipient)>")
            if reply.code == 250 || reply.code == 251 {
                taken.append(recipient)
            } else {
                outcome[recipient] = clean(reply)
            }
        }
        guard !taken.isEmpty else {
            _ = try? await connection.command("RSET")
            return outcome
        }
        let ready = try await connection.command("DATA")
        guard ready.code == 354 else {
            _ = try? await connection.command("RSET")
            for recipient in taken { outcome[recipient] = clean(ready) }
            return outcome
        }
        try await connection.write(Self.dotStuffed(data))
        let done = clean(try await connection.reply())
        for recipient in taken { outcome[recipient] = done }
        logger.debug(
            "smtp transaction",
            metadata: [
                "recipients": .stringConvertible(recipients.count),
                "reply": .string(done.description),
            ])
        return outcome
    }

    /// Says goodbye and closes.
    func quit() async {
        _ = try? await connection.command("QUIT")
        await connection.close()
    }

    /// Closes without a goodbye (after a failure).
    func abandon() async {
        await connection.close()
    }

    /// The message as DATA sends it: a `.` doubled at the start of every line, then `.` alone
    /// on the last line. `data` ends in CRLF.
    static func dotStuffed(_ data: Data) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(data.count + data.count / 64 + 8)
        var lineStart = true
        for byte in data {
            if lineStart && byte == UInt8(ascii: ".") { out.append(byte) }
            out.append(byte)
            lineStart = byte == 0x0A
        }
        if !lineStart { out += [0x0D, 0x0A] }
        out += Array(".\r\n".utf8)
        return out
    }

    // MARK: - Steps

    /// EHLO (HELO when the server does not know EHLO); the capability keywords, upper-cased.
    private func hello() async throws -> Set<String> {
        let name = Self.localName
        let reply = try await connection.command("EHLO \(name)")
        if reply.code == 500 || reply.code == 502 {
            try expect(250, try await connection.command("HELO \(name)"), "HELO")
            return []
        }
        try expect(250, reply, "EHLO")
        return Set(
            reply.lines.dropFirst().map { $0.uppercased() }.flatMap { line -> [String] in
                let words = line.split(separator: " ").map(String.init)
                return [words.first ?? ""] + (words.first == "AUTH" ? words.dropFirst().map { "AUTH=\($0)" } : [])
            })
    }

    /// AUTH PLAIN when offered, else AUTH LOGIN (RFC 4954, 4616).
    private func authenticate(username: String, password: String, capabilities: Set<String>) async throws {
        if capabilities.contains("AUTH=PLAIN") {
            let token = Data("\u{0}\(username)\u{0}\(password)".utf8).base64EncodedString()
            try expect(235, try await connection.command("AUTH PLAIN \(token)"), "AUTH PLAIN")
        } else if capabilities.contains("AUTH=LOGIN") {
            try expect(334, try await connection.command("AUTH LOGIN"), "AUTH LOGIN")
            try expect(334, try await connection.command(Data(username.utf8).base64EncodedString()), "AUTH LOGIN")
            try expect(235, try await connection.command(Data(password.utf8).base64EncodedString()), "AUTH LOGIN")
        } else {
            throw SMTPError.refused(
                "the server offers neither AUTH PLAIN nor AUTH LOGIN (it offers: "
                    + capabilities.filter { $0.hasPrefix("AUTH=") }.sorted().joined(separator: " ") + ")")
        }
    }

    private func expect(_ code: Int, _ reply: SMTPReply, _ step: String) throws {
        guard reply.code == code else { throw SMTPError.reply(command: step, clean(reply)) }
    }

    private func clean(_ reply: SMTPReply) -> SMTPReply {
        SMTPReply(code: reply.code, lines: reply.lines.map(redact))
    }

    /// This host's name for EHLO: letters, digits, `.` and `-` only, else `localhost`.
    static let localName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let valid =
            !name.isEmpty
            && name.unicodeScalars.allSatisfy {
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "." || $0 == "-")
            }
        return valid ? name : "localhost"
    }()
}
