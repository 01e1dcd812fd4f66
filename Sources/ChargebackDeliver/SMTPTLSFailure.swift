import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation
import NIOSSL

/// A TLS failure in words a person can act on: what failed and which setting fixes it, instead
/// of BoringSSL's error stack with its build paths.
package enum SMTPTLSFailure {
    /// - Parameter host: the host of `mail.smtp.url`.
    package static func explain(_ error: Error, host: String) -> String {
        if let extra = error as? NIOSSLExtraError, extra == .failedToValidateHostname {
            if isIPAddress(host) {
                return "the server's certificate has no IP SAN for \(host): put a name the certificate holds "
                    + "in mail.smtp.url, or give the server a certificate with subjectAltName IP:\(host)"
            }
            return "the server's certificate is not for \(host): put a name the certificate holds in "
                + "mail.smtp.url"
        }
        let reasons = reasonNames(in: String(describing: error))
        if reasons.contains("CERTIFICATE_VERIFY_FAILED") { return untrusted }
        if reasons.contains(where: { $0.contains("ALERT") }) {
            return "the server ended the TLS handshake (\(reasons.joined(separator: ", "))); if it asks for a "
                + "client certificate, set mail.smtp.cert_file and key_file"
        }
        if reasons.contains("WRONG_VERSION_NUMBER") {
            return "the server does not speak TLS on this port: smtps:// is for implicit TLS (port 465); "
                + "use smtp:// with STARTTLS for ports 25 and 587"
        }
        let shown = reasons.isEmpty ? "\(type(of: error))" : reasons.joined(separator: ", ")
        return "the TLS handshake failed (\(shown))"
    }

    /// A certificate that failed verification, before ``validityProblem(_:tls:)`` looked at its dates.
    static let untrusted =
        "the server's certificate is not trusted: no CA in mail.smtp.ca_file (or the system's trust store "
        + "without it) signed it, or it has expired or is not valid yet; set mail.smtp.ca_file to the CA that "
        + "signed it"

    /// What is wrong with the dates of the certificate the server presents (`expired on 2020-01-02`),
    /// read over a second connection that checks nothing and ends after the handshake (no login, no
    /// mail); `nil` when the dates are fine or cannot be read.
    static func validityProblem(_ settings: SMTPSettings, tls: TLSConfiguration) async -> String? {
        var configuration = tls
        configuration.certificateVerification = .none
        guard let context = try? NIOSSLContext(configuration: configuration),
            let connection = try? await SMTPConnection.open(
                host: settings.host, port: settings.port, tls: settings.security == .implicitTLS ? context : nil,
                connectTimeout: settings.timeouts.connect)
        else { return nil }
        let wait = min(settings.timeouts.mail, 30)
        let name = SMTPHelloName.choose(configured: settings.helo, localAddress: connection.localAddress)
        var certificate: NIOSSLCertificate?
        do {
            _ = try await connection.reply(within: wait)
            if settings.security == .starttls {
                _ = try await connection.command("EHLO \(name)", within: wait)
                _ = try await connection.command("STARTTLS", within: wait)
                try await connection.startTLS(context, host: settings.host)
                _ = try await connection.command("EHLO \(name)", within: wait)
            }
            certificate = await connection.peerCertificate()
            _ = try? await connection.command("QUIT", within: wait)
        } catch {}
        await connection.close()
        guard let certificate else { return nil }
        let now = time(nil)
        let host = settings.host
        if certificate.notValidAfter < now {
            return "the server's certificate expired on \(day(certificate.notValidAfter)): \(host) needs a new one"
        }
        if certificate.notValidBefore > now {
            return "the server's certificate is not valid before \(day(certificate.notValidBefore)): check the "
                + "clock of this host and of \(host)"
        }
        return nil
    }

    private static func day(_ time: time_t) -> String {
        DateText.rfc3339(Date(timeIntervalSince1970: TimeInterval(time)), in: TimeZone(identifier: "UTC")!)
    }

    /// `CERTIFICATE_VERIFY_FAILED` from `error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED at /path…`.
    package static func reasonNames(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let range = rest.range(of: #":[A-Z0-9_]{4,}( at |\])"#, options: .regularExpression) {
            let name = rest[range].dropFirst().prefix { $0 != " " && $0 != "]" }
            if !names.contains(String(name)) { names.append(String(name)) }
            rest = rest[range.upperBound...]
        }
        return names
    }

    private static func isIPAddress(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}
