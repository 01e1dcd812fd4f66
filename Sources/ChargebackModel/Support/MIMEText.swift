import Foundation

/// The encodings an RFC 5322 / MIME message needs, with CRLF line ends.
public enum MIMEText {
    /// A header value: line breaks become spaces; plain ASCII is folded at spaces into lines of
    /// about 78 characters, and anything else becomes RFC 2047 encoded words (`=?UTF-8?B?…?=`)
    /// of at most 64 characters, one per continuation line.
    public static func header(_ value: String) -> String {
        let flat = value.map { $0.isNewline ? " " : String($0) }.joined()
        let printable = flat.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }
        let words = flat.split(separator: " ", omittingEmptySubsequences: false)
        guard printable, words.allSatisfy({ $0.utf8.count <= 900 }) else { return encodedWords(flat) }
        var lines: [String] = []
        var line = ""
        for word in words {
            if !line.isEmpty && line.utf8.count + 1 + word.utf8.count > 68 {
                lines.append(line)
                line = String(word)
            } else {
                line = line.isEmpty && lines.isEmpty ? String(word) : line + " " + word
            }
        }
        lines.append(line)
        return lines.joined(separator: "\r\n ")
    }

    /// `text` as RFC 2047 `B` encoded words of UTF-8 (at most 39 bytes, so 64 characters, each, and a
    /// `Subject:` line stays within 78), split between
    /// characters (never inside one) and joined by folding white space.
    public static func encodedWords(_ text: String) -> String {
        var words: [String] = []
        var chunk = ""
        for character in text {
            if chunk.utf8.count + String(character).utf8.count > 39 {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(character)
        }
        if !chunk.isEmpty || words.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?\(Data($0.utf8).base64EncodedString())?=" }.joined(separator: "\r\n ")
    }

    /// A header value with its `=?UTF-8?B?…?=` words decoded (white space between two encoded
    /// words dropped, as RFC 2047 says), for showing to people.
    public static func decodeWords(_ value: String) -> String {
        let pattern = #"=\?[Uu][Tt][Ff]-8\?[Bb]\?([A-Za-z0-9+/=]*)\?="#
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return value }
        let spaced = try? NSRegularExpression(pattern: #"(\?=)\s+(=\?)"#)
        let text =
            spaced?.stringByReplacingMatches(
                in: value, range: NSRange(value.startIndex..., in: value),
                withTemplate: "$1$2") ?? value
        var bytes = Data()
        var out = ""
        var last = text.startIndex
        for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let whole = Range(match.range, in: text), let payload = Range(match.range(at: 1), in: text) else {
                continue
            }
            if whole.lowerBound != last {
                out += String(decoding: bytes, as: UTF8.self) + text[last..<whole.lowerBound]
                bytes = Data()
            }
            bytes.append(Data(base64Encoded: String(text[payload])) ?? Data())
            last = whole.upperBound
        }
        return out + String(decoding: bytes, as: UTF8.self) + text[last...]
    }

    /// An address list for `To:`, `Cc:` or `Bcc:`, one mailbox per line after the first.
    public static func addressList(_ mailboxes: [Mailbox]) -> String {
        mailboxes.map(\.header).joined(separator: ",\r\n ")
    }

    /// Quoted-printable (RFC 2045) of UTF-8 text: lines of at most 76 characters, CRLF line ends.
    public static func quotedPrintable(_ text: String) -> String {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(
            separator: "\n", omittingEmptySubsequences: false)
        return lines.map { line -> String in
            var out = ""
            var width = 0
            let bytes = Array(line.utf8)
            for (index, byte) in bytes.enumerated() {
                let isLast = index == bytes.count - 1
                let literal = (byte >= 33 && byte <= 126 && byte != 61) || ((byte == 32 || byte == 9) && !isLast)
                let piece = literal ? String(UnicodeScalar(byte)) : String(format: "=%02X", byte)
                if width + piece.count > 75 {
                    out += "=\r\n"
                    width = 0
                }
                out += piece
                width += piece.count
            }
            return out
        }.joined(separator: "\r\n")
    }

    /// Base64 in lines of 76 characters with CRLF.
    public static func base64(_ data: Data) -> String {
        data.base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
    }

    /// An RFC 5322 date, e.g. `Sun, 01 Nov 2026 00:00:00 +0000`.
    public static func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }

    /// Whether `address` is a plain `local@domain` that is safe to put in a header.
    public static func isAddress(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
            !parts[1].hasSuffix(".")
        else { return false }
        return address.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && scalar.value > 0x20 && scalar.value < 0x7F
                && !"()<>[]:;,\\\"".unicodeScalars.contains(scalar)
        }
    }
}
