import Foundation

/// One mail address with an optional display name, as in `FinOps <finops@example.com>`.
///
/// Addresses come from the config and team files, which are untrusted: ``parse(_:)`` refuses
/// line breaks and control characters anywhere, so no text can start a new header line, and
/// accepts only a plain ASCII `local@domain` address.
public struct Mailbox: Sendable, Equatable, CustomStringConvertible {
    /// The display name, if any (any printable Unicode; encoded on output).
    public let name: String?
    /// `local@domain`, ASCII, without angle brackets.
    public let address: String

    public init(name: String? = nil, address: String) {
        self.name = name
        self.address = address
    }

    /// Parses `local@domain`, `Name <local@domain>` or `"Name, Inc." <local@domain>`.
    /// - Returns: the mailbox, or why the text is not one.
    public static func parse(_ text: String) -> Result<Mailbox, MailboxProblem> {
        if text.unicodeScalars.contains(where: isForbidden) {
            return .failure(MailboxProblem("contains a line break or control character"))
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var name: String?
        var address = trimmed
        if trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") {
            address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            var phrase = trimmed[..<open].trimmingCharacters(in: .whitespaces)
            if phrase.count >= 2, phrase.hasPrefix("\""), phrase.hasSuffix("\"") {
                phrase = String(phrase.dropFirst().dropLast())
                    .replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\\\\", with: "\\")
            }
            name = phrase.isEmpty ? nil : phrase
        }
        guard MIMEText.isAddress(address) else {
            return .failure(MailboxProblem("'\(address)' is not a mail address like name@example.com"))
        }
        return .success(Mailbox(name: name, address: address))
    }

    /// The header form: the address alone, or the name (as typed when it is plain ASCII words,
    /// quoted when it holds specials, RFC 2047 encoded when it is not ASCII) and `<address>`.
    public var header: String {
        guard let name else { return address }
        let scalars = name.unicodeScalars
        if scalars.allSatisfy({ $0.isASCII && (Self.atext.contains($0) || $0 == " ") }) {
            return "\(name) <\(address)>"
        }
        if scalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }) && name.utf8.count <= 60 {
            let quoted = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "\"\(quoted)\" <\(address)>"
        }
        return "\(MIMEText.encodedWords(name)) <\(address)>"
    }

    public var description: String { header }

    /// The domain after the `@`.
    public var domain: String { String(address.split(separator: "@").last ?? "") }

    /// Line breaks, controls and the Unicode line and paragraph separators.
    package static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}"
    }

    private static let atext = CharacterSet(
        charactersIn:
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~")
}

/// Why a text is not a ``Mailbox``.
public struct MailboxProblem: Error, Equatable, Sendable {
    public let reason: String
    init(_ reason: String) { self.reason = reason }
}
