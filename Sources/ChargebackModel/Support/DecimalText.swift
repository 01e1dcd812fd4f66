import Foundation

/// Plain decimal text for CSV and Markdown numbers.
public enum DecimalText {
    /// `value` written out in full, with at least `minScale` decimals (`0.5` → `0.500000`).
    public static func plain(_ value: Decimal, minScale: Int) -> String {
        var text = NSDecimalNumber(decimal: value).description(withLocale: Locale(identifier: "en_US_POSIX"))
        if text.contains("e") || text.contains("E") { text = "\(value)" }
        let decimals = text.split(separator: ".", maxSplits: 1).dropFirst().first?.count ?? 0
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
