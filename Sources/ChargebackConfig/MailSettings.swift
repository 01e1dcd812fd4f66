import ChargebackModel
import Foundation

/// The `mail:` block of `chargeback.yaml`: who the team mails come from and the SMTP server.
public struct MailSettings: Sendable, Equatable {
    /// `From:` of every message and the envelope sender (`MAIL FROM`).
    public var from: Mailbox
    public var replyTo: Mailbox?
    public var smtp: SMTPSettings

    public init(from: Mailbox, replyTo: Mailbox? = nil, smtp: SMTPSettings) {
        self.from = from
        self.replyTo = replyTo
        self.smtp = smtp
    }
}

/// How to reach the SMTP server. The password is held as where to read it, never as a value.
public struct SMTPSettings: Sendable, Equatable {
    /// How the connection is protected.
    public enum Security: String, Sendable {
        /// `smtp://` with `starttls: false`: plain text (a trusted relay on the same host or network).
        case plain
        /// `smtp://` upgraded with STARTTLS before anything else is said; refused if the server does not offer it.
        case starttls
        /// `smtps://`: TLS from the first byte (port 465).
        case implicitTLS
    }

    public var host: String
    public var port: Int
    public var security: Security
    /// AUTH PLAIN or LOGIN with this user name, when set.
    public var username: String?
    public var password: SecretSource?
    /// CA file, client certificate and key, and the explicit insecure switch.
    public var tls: TLSSettings
    /// How long to wait for the connection and for each reply.
    public var timeouts: SMTPTimeouts
    /// Extra attempts after the first on connection errors, timeouts and 4xx replies; never once
    /// a message's final dot was sent.
    public var retries: Int
    /// The name EHLO gives; `nil`: ``SMTPHelloName`` picks one.
    public var helo: String?

    public init(
        host: String, port: Int, security: Security, username: String? = nil, password: SecretSource? = nil,
        tls: TLSSettings = TLSSettings(), timeouts: SMTPTimeouts = .rfc5321, retries: Int = 3, helo: String? = nil
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.tls = tls
        self.timeouts = timeouts
        self.retries = retries
        self.helo = helo
    }

    /// `smtp://host:port` or `smtps://host:port`, for messages (it never holds credentials).
    public var displayURL: String {
        let shown = host.contains(":") ? "[\(host)]" : host
        return "\(security == .implicitTLS ? "smtps" : "smtp")://\(shown):\(port)"
    }
}

/// Seconds to wait at each step of an SMTP conversation. The defaults are RFC 5321 §4.5.3.2's;
/// `mail.smtp.timeout` sets every one of them to the same value.
public struct SMTPTimeouts: Sendable, Equatable {
    /// Opening the TCP connection (not in the RFC).
    public var connect: Double = 30
    /// The server's 220 greeting.
    public var greeting: Double = 300
    /// The reply to `MAIL FROM`, and to EHLO, STARTTLS, AUTH and RSET (which the RFC does not list).
    public var mail: Double = 300
    public var rcpt: Double = 300
    /// The 354 to `DATA`.
    public var dataInitiation: Double = 120
    /// Handing over each part of the message.
    public var dataBlock: Double = 180
    /// The reply to the final dot: the server may be filtering or queueing the message.
    public var dataTermination: Double = 600
    /// The reply to QUIT, after everything was sent (not in the RFC).
    public var quit: Double = 30

    public static let rfc5321 = SMTPTimeouts()

    /// Every step, the connection included, waits `seconds`.
    public static func uniform(_ seconds: Double) -> SMTPTimeouts {
        SMTPTimeouts(
            connect: seconds, greeting: seconds, mail: seconds, rcpt: seconds, dataInitiation: seconds,
            dataBlock: seconds, dataTermination: seconds, quit: seconds)
    }
}
