import Foundation
import NIOSSL

/// A TLS failure in words a person can act on: what failed and which setting fixes it, instead
/// of BoringSSL's error stack with its build paths.
enum SMTPTLSFailure {
    /// - Parameter host: the host of `mail.smtp.url`.
    static func explain(_ error: Error, host: String) -> String {
        if let extra = error as? NIOSSLExtraError, extra == .failedToValidateHostname {
            if isIPAddress(host) {
                return "the server's certificate has no IP SAN for \(host): put a name the certificate holds "
                    + "in mail.smtp.url, or give the server a certificate with subjectAltName IP:\(host)"
            }
            return "the server's certificate is not for \(host): put a name the certificate holds in "
                + "mail.smtp.url"
        }
        let reasons = reasonNames(in: String(describing: error))
        if reasons.contains("CERTIFICATE_VERIFY_FAILED") {
            return "the server's certificate is not trusted: no CA in mail.smtp.ca_file (or the system's "
                + "trust store without it) signed it, or it has expired or is not valid yet; set mail.smtp.ca_file "
                + "to the CA that signed it"
        }
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

    /// `CERTIFICATE_VERIFY_FAILED` from `error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED at /path…`.
    static func reasonNames(in text: String) -> [String] {
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
