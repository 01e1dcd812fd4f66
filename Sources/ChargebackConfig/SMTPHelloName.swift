import ChargebackModel
import Foundation

/// The name EHLO gives (RFC 5321 §4.1.1.1, §4.1.3): a fully qualified domain name, else an
/// address literal of the connection's local address. Relays that reject non-FQDN greetings
/// (Postfix's `reject_non_fqdn_helo_hostname`) accept either; a bare `vm` or pod name they refuse.
public enum SMTPHelloName {
    /// `mail.smtp.helo` when set, else this host's FQDN, else `[local address]`.
    package static func choose(configured: String?, localAddress: String?) -> String {
        if let configured { return configured }
        if let name = hostFQDN { return name }
        return localAddress.map(literal) ?? "[127.0.0.1]"
    }

    /// Whether `name` is a domain with a dot (letters, digits, `-`) or an address literal.
    public static func isValid(_ name: String) -> Bool {
        if name.hasPrefix("[") && name.hasSuffix("]") {
            var inner = String(name.dropFirst().dropLast())
            var v4 = in_addr()
            var v6 = in6_addr()
            if inner.lowercased().hasPrefix("ipv6:") {
                inner.removeFirst("ipv6:".count)
                return inet_pton(AF_INET6, inner, &v6) == 1
            }
            return inet_pton(AF_INET, inner, &v4) == 1
        }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && name.count <= 253
            && labels.allSatisfy { label in
                !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                    && label.unicodeScalars.allSatisfy {
                        $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-")
                    }
            }
    }

    /// `[127.0.0.1]` or `[IPv6:::1]` for an IP address.
    package static func literal(_ address: String) -> String {
        address.contains(":") ? "[IPv6:\(address)]" : "[\(address)]"
    }

    /// The host name when it has a dot, else its canonical name from the resolver (as
    /// `hostname -f`); `nil` when neither is fully qualified (or is `localhost…`).
    package static let hostFQDN: String? = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return nil }
        let host = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var candidates = [host]
        var hints = addrinfo()
        hints.ai_flags = AI_CANONNAME
        var result: UnsafeMutablePointer<addrinfo>?
        if !host.isEmpty, getaddrinfo(host, nil, &hints, &result) == 0, let result {
            if let canonical = result.pointee.ai_canonname { candidates.append(String(cString: canonical)) }
            freeaddrinfo(result)
        }
        return candidates.first { isValid($0) && !$0.lowercased().hasPrefix("localhost") && !$0.hasPrefix("[") }
    }()
}
