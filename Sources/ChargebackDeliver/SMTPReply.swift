import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation

/// One reply of an SMTP server: a three-digit code and its text lines (RFC 5321 §4.2).
public struct SMTPReply: Sendable, Equatable, CustomStringConvertible {
    public let code: Int
    public let lines: [String]

    public init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }

    /// 2xx or 3xx.
    public var isPositive: Bool { (200..<400).contains(code) }
    /// 4xx: try again later.
    public var isTransient: Bool { (400..<500).contains(code) }

    /// `250 2.0.0 Ok: queued` (the lines joined by ` / `).
    public var description: String { "\(code) " + lines.joined(separator: " / ") }

    /// Parses one reply line (without its CRLF).
    /// - Returns: the code, whether more lines follow (`250-…`), and the text; `nil` when the
    ///   line is not a reply line.
    package static func parseLine(_ line: String) -> (code: Int, more: Bool, text: String)? {
        let scalars = Array(line.unicodeScalars)
        guard scalars.count >= 3, scalars[0...2].allSatisfy({ ("0"..."9").contains($0) }),
            let code = Int(String(String.UnicodeScalarView(scalars[0...2]))), (200..<600).contains(code)
        else {
            return nil
        }
        if scalars.count == 3 { return (code, false, "") }
        guard scalars[3] == "-" || scalars[3] == " " else { return nil }
        return (code, scalars[3] == "-", String(String.UnicodeScalarView(scalars[4...])))
    }
}

/// Why a conversation with the SMTP server failed.
public enum SMTPError: Error, LocalizedError, Sendable {
    /// Connecting failed, the connection dropped, or a reply did not come in time (tried again).
    case connection(String)
    /// The server answered `reply` to `command`: 4xx is tried again, 5xx is not.
    case reply(command: String, SMTPReply)
    /// The TLS handshake or the server's certificate failed (not tried again).
    case tls(String)
    /// The server does not offer what the settings need, or broke the protocol (not tried again).
    case refused(String)

    /// Whether another attempt may succeed.
    public var isTransient: Bool {
        switch self {
        case .connection: true
        case .reply(_, let reply): reply.isTransient
        case .tls, .refused: false
        }
    }

    public var errorDescription: String? {
        switch self {
        case .connection(let text): text
        case .reply(let command, let reply): "the server answered \(reply) to \(command)"
        case .tls(let text): "TLS: \(text)"
        case .refused(let text): text
        }
    }
}
