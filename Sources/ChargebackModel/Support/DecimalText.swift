import Foundation

/// Plain decimal text for CSV and Markdown numbers.
public enum DecimalText {
    private static let posix = Locale(identifier: "en_US_POSIX")

    /// `value` written out in full, with at least `minScale` decimals (`0.5` → `0.500000`).
    public static func plain(_ value: Decimal, minScale: Int) -> String {
        small(value, minScale: minScale) ?? foundation(value, minScale: minScale)
    }

    /// ``plain(_:minScale:)`` by Foundation's own text of the value.
    static func foundation(_ value: Decimal, minScale: Int) -> String {
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

    /// ``plain(_:minScale:)`` for a value whose significand fits 64 bits (every price, cost and
    /// total of a report), written from its digits and exponent as Foundation writes it, without
    /// the object and the divisions Foundation's text takes; `nil` for any other value.
    static func small(_ value: Decimal, minScale: Int) -> String? {
        guard minScale >= 0, minScale <= 64, let parts = DecimalDigits(value), parts.exponent >= -64,
            parts.exponent <= 64, let significand = UInt64(exactly: parts.significand)
        else { return nil }
        let exponent = parts.exponent
        // The significand's digits, last first.
        var reversed: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var digitCount = 0
        withUnsafeMutableBytes(of: &reversed) { digits in
            var rest = significand
            while rest > 0 {
                digits[digitCount] = UInt8(truncatingIfNeeded: rest % 10) | 0x30
                rest /= 10
                digitCount += 1
            }
        }
        let negative = parts.negative
        let decimals = max(-exponent, 0)
        let integerDigits = max(digitCount + exponent, 1)
        let padding = max(minScale - decimals, 0)
        let pointed = decimals > 0 || padding > 0
        let count = (negative ? 1 : 0) + integerDigits + (pointed ? 1 : 0) + decimals + padding
        return withUnsafeBytes(of: &reversed) { digits in
            String(unsafeUninitializedCapacity: count) { buffer in
                var index = 0
                func put(_ byte: UInt8) {
                    buffer[index] = byte
                    index += 1
                }
                // Position `place` of the number (0 the units, 1 the tens, -1 the tenths …).
                func digit(_ place: Int) -> UInt8 {
                    let position = place - exponent
                    return position >= 0 && position < digitCount ? digits[position] : 0x30
                }
                if negative { put(UInt8(ascii: "-")) }
                for place in stride(from: integerDigits - 1, through: 0, by: -1) { put(digit(place)) }
                if pointed { put(UInt8(ascii: ".")) }
                for place in stride(from: -1, through: -decimals, by: -1) { put(digit(place)) }
                for _ in 0..<padding { put(0x30) }
                return index
            }
        }
    }
}
