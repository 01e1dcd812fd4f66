import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation
import Logging
import NIOSSL

/// A logged-in SMTP conversation (RFC 5321): greeting, EHLO, STARTTLS, AUTH, then one mail
/// transaction per ``send(from:to:data:)``.
package struct SMTPSession {
    private let connection: SMTPConnection
    private let timeouts: SMTPTimeouts
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
        let timeouts = settings.timeouts
        let connection = try await SMTPConnection.open(
            host: settings.host, port: settings.port,
            tls: settings.security == .implicitTLS ? tls : nil,
            connectTimeout: timeouts.connect)
        let session = SMTPSession(connection: connection, timeouts: timeouts, logger: logger, redact: redact)
        let name = SMTPHelloName.choose(configured: settings.helo, localAddress: connection.localAddress)
        do {
            try session.expect(220, try await connection.reply(within: timeouts.greeting), "the greeting")
            var capabilities = try await session.hello(name)
            if settings.security == .starttls, let tls {
                guard capabilities.contains("STARTTLS") else {
                    throw SMTPError.refused(
                        "\(settings.displayURL) does not offer STARTTLS; set starttls: false "
                            + "only for a relay on a trusted network")
                }
                try session.expect(220, try await session.command("STARTTLS"), "STARTTLS")
                try await connection.startTLS(tls, host: settings.host)
                capabilities = try await session.hello(name)
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

    /// What became of one recipient in a transaction.
    enum RecipientOutcome: Sendable {
        /// The server's reply: to the end of DATA when it took the recipient, else to `RCPT TO`
        /// (or to `MAIL FROM` / `DATA` when those failed).
        case replied(SMTPReply)
        /// The whole message went out, final dot included, and no reply came: it may have been
        /// delivered, so it must not be sent again automatically. The text says what happened.
        case unknown(String)
    }

    /// One mail transaction.
    /// - Returns: each recipient's outcome. After an ``RecipientOutcome/unknown(_:)`` the
    ///   connection is closed.
    /// - Throws: ``SMTPError/connection(_:)`` when the connection fails before the final dot
    ///   was handed over (nothing was delivered then).
    func send(from: String, to recipients: [String], data: Data) async throws -> [String: RecipientOutcome] {
        var outcome: [String: RecipientOutcome] = [:]
        let mail = try await command("MAIL FROM:<\(from)>", within: timeouts.mail)
        guard mail.code == 250 else {
            _ = try? await command("RSET")
            return Dictionary(uniqueKeysWithValues: recipients.map { ($0, .replied(clean(mail))) })
        }
        var taken: [String] = []
        for recipient in recipients {
            let reply = try await command("RCPT TO:<\(recipient)>", within: timeouts.rcpt)
            if reply.code == 250 || reply.code == 251 {
                taken.append(recipient)
            } else {
                outcome[recipient] = .replied(clean(reply))
            }
        }
        guard !taken.isEmpty else {
            _ = try? await command("RSET")
            return outcome
        }
        let ready = try await command("DATA", within: timeouts.dataInitiation)
        guard ready.code == 354 else {
            _ = try? await command("RSET")
            for recipient in taken { outcome[recipient] = .replied(clean(ready)) }
            return outcome
        }
        try await connection.write(Self.dotStuffed(data), within: timeouts.dataBlock)
        let done: RecipientOutcome
        do {
            done = .replied(clean(try await connection.reply(within: timeouts.dataTermination)))
        } catch let error as SMTPError {
            await connection.close()
            done = .unknown(redact(error.errorDescription ?? "\(error)"))
        }
        for recipient in taken { outcome[recipient] = done }
        logger.debug(
            "smtp transaction",
            metadata: [
                "recipients": .stringConvertible(recipients.count),
                "reply": .string("\(done)"),
            ])
        return outcome
    }

    /// Says goodbye and closes.
    func quit() async {
        _ = try? await connection.command("QUIT", within: timeouts.quit)
        await connection.close()
    }

    /// Closes without a goodbye (after a failure).
    func abandon() async {
        await connection.close()
    }

    /// The message as DATA sends it: a `.` doubled at the start of every line, then `.` alone
    /// on the last line. `data` ends in CRLF.
    package static func dotStuffed(_ data: Data) -> [UInt8] {
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

    /// EHLO (HELO when the server does not know EHLO) with `name`; the capability keywords, upper-cased.
    private func hello(_ name: String) async throws -> Set<String> {
        let reply = try await command("EHLO \(name)")
        if reply.code == 500 || reply.code == 502 {
            try expect(250, try await command("HELO \(name)"), "HELO")
            return []
        }
        try expect(250, reply, "EHLO")
        return Set(
            reply.lines.dropFirst().map { $0.uppercased() }.flatMap { line -> [String] in
                let words = line.split(separator: " ").map(String.init)
                return [words.first ?? ""] + (words.first == "AUTH" ? words.dropFirst().map { "AUTH=\($0)" } : [])
            })
    }

    /// A command and its reply; EHLO, STARTTLS, AUTH and RSET wait as long as MAIL.
    private func command(_ line: String, within seconds: Double? = nil) async throws -> SMTPReply {
        try await connection.command(line, within: seconds ?? timeouts.mail)
    }

    /// AUTH PLAIN when offered, else AUTH LOGIN (RFC 4954, 4616).
    private func authenticate(username: String, password: String, capabilities: Set<String>) async throws {
        if capabilities.contains("AUTH=PLAIN") {
            let token = Data("\u{0}\(username)\u{0}\(password)".utf8).base64EncodedString()
            try expect(235, try await command("AUTH PLAIN \(token)"), "AUTH PLAIN")
        } else if capabilities.contains("AUTH=LOGIN") {
            try expect(334, try await command("AUTH LOGIN"), "AUTH LOGIN")
            try expect(334, try await command(Data(username.utf8).base64EncodedString()), "AUTH LOGIN")
            try expect(235, try await command(Data(password.utf8).base64EncodedString()), "AUTH LOGIN")
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
}
