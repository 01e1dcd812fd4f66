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
    /// Seconds to wait for the connection and for each reply.
    public var timeout: Double
    /// Extra attempts after the first on connection errors, timeouts and 4xx replies.
    public var retries: Int

    public init(
        host: String, port: Int, security: Security, username: String? = nil, password: SecretSource? = nil,
        tls: TLSSettings = TLSSettings(), timeout: Double = 30, retries: Int = 3
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.tls = tls
        self.timeout = timeout
        self.retries = retries
    }

    /// `smtp://host:port` or `smtps://host:port`, for messages (it never holds credentials).
    public var displayURL: String {
        let shown = host.contains(":") ? "[\(host)]" : host
        return "\(security == .implicitTLS ? "smtps" : "smtp")://\(shown):\(port)"
    }
}
