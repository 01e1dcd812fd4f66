import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation
import Logging
import NIOSSL

/// The delivery stage: sends the team mails of a reports folder over SMTP, each to each of its
/// recipients once, and records every outcome in the folder's ``DeliveryLedger``.
///
/// Messages go one after another over one connection (opened again after a failure). A
/// connection error, a timeout or a 4xx reply is tried again after an exponential backoff with
/// jitter, up to `smtp.retries` extra attempts per message; a 5xx reply is final for the
/// recipients it concerns. A failure of the whole conversation that no retry can cure (TLS,
/// a refused login, no STARTTLS) fails every message left. A message whose final dot went out
/// without a reply is never sent again by itself: it is `unknown` (maybe delivered) in the
/// ledger, held until a person checks and sends it with `resend`.
public struct MailDelivery {
    public let settings: MailSettings
    public let logger: Logger
    public var environment: [String: String]
    /// First backoff wait in seconds; it doubles per attempt (times a random 0.5…1).
    public var backoff: Double = 1

    public init(
        settings: MailSettings, logger: Logger,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.settings = settings
        self.logger = logger
        self.environment = environment
    }

    /// One message with the recipients a run still has to send it to.
    public struct Item: Sendable {
        public let message: PackMessage
        /// Recipients with no accepted or unknown entry in the ledger (all of them with `resend`).
        public let pending: [String]
        /// Recipients the ledger says have it, with the entry.
        public let done: [DeliveryLedger.Entry]
        /// Recipients whose last sending got no reply after its end (may have it), held back.
        public let held: [DeliveryLedger.Entry]
    }

    /// What a run did.
    public struct Outcome: Sendable {
        public var items: [Item]
        public var accepted: [DeliveryLedger.Entry] = []
        public var failed: [DeliveryLedger.Entry] = []
        /// Sent in full this run with no reply to the end: maybe delivered.
        public var unknown: [DeliveryLedger.Entry] = []
        public let ledger: URL
        /// Recipients held back because an earlier run could not tell whether they got it.
        public var held: [DeliveryLedger.Entry] { items.flatMap(\.held) }
        /// Every recipient is known to have the mail.
        public var succeeded: Bool { failed.isEmpty && unknown.isEmpty && held.isEmpty }
    }

    /// Reads the folder's mails and ledger and works out what is left to send.
    /// - Throws: ``InputError`` for a missing manifest, a changed or malformed mail, or a broken ledger.
    public static func plan(directory: URL, resend: Bool) throws -> (items: [Item], ledger: DeliveryLedger) {
        let ledger = try DeliveryLedger(directory: directory)
        let items = try PackMessage.listed(in: directory).map { listed -> Item in
            let message = try PackMessage.load(listed.file, sha256: listed.sha256, in: directory)
            let done = resend ? [] : message.recipients.compactMap { ledger.accepted(message.file, for: $0) }
            let held =
                resend ? [] : message.recipients.compactMap { ledger.unknown(message.file, for: $0) }
            let pending = message.recipients.filter { recipient in
                !(done + held).contains { $0.recipient.lowercased() == recipient.lowercased() }
            }
            return Item(message: message, pending: pending, done: done, held: held)
        }
        return (items, ledger)
    }

    /// Sends what ``plan(directory:resend:)`` says is left.
    /// - Throws: ``InputError`` for bad input (including TLS files), ``FetchError/secret(_:)``
    ///   when the password cannot be read, ``OutputError`` when the ledger cannot be written.
    ///   Delivery failures are not thrown: they are in the outcome and the ledger.
    public func run(directory: URL, resend: Bool) async throws -> Outcome {
        var (items, ledger) = try Self.plan(directory: directory, resend: resend)
        var outcome = Outcome(items: items, ledger: ledger.url)
        items = items.filter { !$0.pending.isEmpty }
        guard !items.isEmpty else { return outcome }
        let smtp = settings.smtp
        let password = try smtp.username.map { _ in
            try Credentials.read(smtp.password!, what: "SMTP password", environment: environment)
        }
        let secrets = Self.secretForms(username: smtp.username, password: password)
        let redact: @Sendable (String) -> String = { text in
            secrets.reduce(text) { $0.replacingOccurrences(of: $1, with: "<redacted>") }
        }
        let tls = smtp.security == .plain ? nil : try Self.tlsContext(smtp.tls)
        let policy = RetryPolicy(retries: smtp.retries, base: backoff)
        var session: SMTPSession?
        var fatal: String?

        for item in items {
            var message = item.message
            if resend { message.messageID = Self.resentID(of: message.messageID) }
            let data = message.wireData(
                from: settings.from, replyTo: settings.replyTo, resentOf: resend ? item.message.messageID : nil)
            var pending = item.pending
            var attempt = 0
            var last: [String: String] = [:]
            while !pending.isEmpty {
                attempt += 1
                var transient = false
                if let fatal {
                    for recipient in pending { last[recipient] = fatal }
                    break
                }
                do {
                    if session == nil {
                        session = try await SMTPSession.open(
                            smtp, tls: tls, password: password, logger: logger,
                            redact: redact)
                    }
                    let replies = try await session!.send(from: settings.from.address, to: pending, data: data)
                    var accepted: [DeliveryLedger.Entry] = []
                    var unknown: [DeliveryLedger.Entry] = []
                    for recipient in pending {
                        switch replies[recipient] {
                        case .replied(let reply):
                            last[recipient] = reply.description
                            if reply.code == 250 {
                                accepted.append(entry(message, recipient, "accepted", reply.description, attempt))
                            } else if reply.isTransient {
                                transient = true
                            }
                        case .unknown(let reason):
                            unknown.append(entry(message, recipient, "unknown", Self.unknownText(reason), attempt))
                        case nil: break
                        }
                    }
                    if !accepted.isEmpty {
                        try ledger.record(accepted)
                        outcome.accepted += accepted
                        logger.info(
                            "mail accepted",
                            metadata: [
                                "file": .string(message.file), "message_id": .string(message.messageID),
                                "recipients": .string(accepted.map(\.recipient).joined(separator: ", ")),
                                "reply": .string(accepted[0].reply),
                            ])
                    }
                    if !unknown.isEmpty {
                        // The connection is gone, and the message must not go out again by itself.
                        session = nil
                        try ledger.record(unknown)
                        outcome.unknown += unknown
                        logger.error(
                            "mail sent without a reply; it may have been delivered",
                            metadata: [
                                "file": .string(message.file), "message_id": .string(message.messageID),
                                "recipients": .string(unknown.map(\.recipient).joined(separator: ", ")),
                                "reply": .string(unknown[0].reply),
                            ])
                    }
                    let settled = Set((accepted + unknown).map(\.recipient))
                    // 5xx recipients are final; transient ones stay for the next attempt.
                    pending = pending.filter { recipient in
                        guard !settled.contains(recipient) else { return false }
                        if case .replied(let reply) = replies[recipient] { return reply.isTransient }
                        return true
                    }
                } catch var error as SMTPError {
                    if case .tls(SMTPTLSFailure.untrusted) = error,
                        let problem = await SMTPTLSFailure.validityProblem(
                            smtp, tls: try TLSFiles.configuration(smtp.tls, key: "mail.smtp"))
                    {
                        error = .tls(problem)
                    }
                    let text = redact(error.errorDescription ?? "\(error)")
                    for recipient in pending { last[recipient] = text }
                    await session?.abandon()
                    session = nil
                    if error.isTransient {
                        transient = true
                    } else {
                        fatal = text
                    }
                }
                guard transient, !pending.isEmpty, attempt <= policy.retries, fatal == nil else { break }
                let wait = policy.delay(afterAttempt: attempt, retryAfter: nil)
                logger.warning(
                    "mail not accepted yet; trying again",
                    metadata: [
                        "file": .string(message.file), "attempt": .stringConvertible(attempt),
                        "reply": .string(pending.compactMap { last[$0] }.first ?? ""),
                        "wait_seconds": .string(String(format: "%.1f", wait)),
                    ])
                try await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000))
            }
            let delivered = Set(
                (outcome.accepted + outcome.unknown).filter { $0.message == message.file }.map(\.recipient))
            let failures = item.pending.filter { !delivered.contains($0) }
                .map { entry(message, $0, "failed", last[$0] ?? "not sent", attempt) }
            if !failures.isEmpty {
                try ledger.record(failures)
                outcome.failed += failures
                for failure in failures {
                    logger.error(
                        "mail not accepted",
                        metadata: [
                            "file": .string(message.file), "recipient": .string(failure.recipient),
                            "reply": .string(failure.reply),
                        ])
                }
            }
        }
        if let open = session {
            await open.quit()
            session = nil
        }
        return outcome
    }

    private func entry(
        _ message: PackMessage, _ recipient: String, _ status: String, _ reply: String,
        _ attempts: Int
    ) -> DeliveryLedger.Entry {
        DeliveryLedger.Entry(
            message: message.file, messageID: message.messageID, sha256: message.sha256,
            recipient: recipient, status: status, at: DateText.rfc3339(Date(), in: TimeZone(identifier: "UTC")!),
            reply: reply, attempts: attempts)
    }

    /// What the ledger says of a recipient whose message went out in full without a reply.
    static func unknownText(_ reason: String) -> String {
        "the whole message was sent but no reply to its end came (\(reason)); it may have been delivered"
    }

    /// A new Message-ID for a message sent again on purpose: the first one's, marked as resent at
    /// this second, so mail clients do not hide it as a duplicate.
    package static func resentID(of original: String, at date: Date = Date()) -> String {
        let inner = original.dropFirst().dropLast()
        guard let at = inner.lastIndex(of: "@") else { return original }
        let stamp = DateText.rfc3339(date, in: TimeZone(identifier: "UTC")!).filter { $0.isNumber }
        let nonce = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        return "<\(inner[..<at]).resent-\(stamp)-\(nonce)\(inner[at...])>"
    }

    /// The password and the encodings in which a server could echo it.
    static func secretForms(username: String?, password: String?) -> [String] {
        guard let password, !password.isEmpty else { return [] }
        return [
            password, Data(password.utf8).base64EncodedString(),
            Data("\u{0}\(username ?? "")\u{0}\(password)".utf8).base64EncodedString(),
        ]
    }

    /// The TLS client context for STARTTLS or `smtps://`.
    static func tlsContext(_ tls: TLSSettings) throws -> NIOSSLContext {
        let configuration = try TLSFiles.configuration(tls, key: "mail.smtp")
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw InputError(file: nil, "mail.smtp: cannot use the CA, certificate or key file (\(type(of: error)))")
        }
    }
}
