import Foundation

/// Plain decimal text for CSV and Markdown numbers.
public enum DecimalText {
    private static let posix = Locale(identifier: "en_US_POSIX")

    /// `value` written out in full, with at least `minScale` decimals (`0.5` → `0.500000`).
    public static func plain(_ value: Decimal, minScale: Int) -> String {
        var text = NSDecimalNumber(decimal: value).description(withLocale: posix)
        if text.utf8.contains(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) { text = "\(value)" }
        let decimals =
            text.utf8.firstIndex(of: UInt8(ascii: ".")).map { text.utf8.distance(from: $0, to: text.utf8.endIndex) - 1 }
            ?? 0
        if decimals < minScale {
            text += (decimals == 0 ? "." : "") + String(repeating: "0", count: minScale - decimals)
        }
        return text
    }

    /// Exactly two decimals (`12.5` → `12.50`).
    public static func cents(_ value: Decimal) -> String {
        plain(Money.round(value), minScale: 2)
    }
}
