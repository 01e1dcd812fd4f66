import Foundation

/// The sign, significand and exponent of a finite `Decimal`, read from the value's stored bytes: Foundation keeps NSDecimal's fields (an 8-bit exponent; the length
/// in 16-bit words, the sign and the compact flag; eight 16-bit words of significand, least
/// significant first) but does not make them public. The layout is checked once against values
/// of known fields; on any other layout nothing is read (`nil`), and callers take Foundation's path.
struct DecimalDigits: Equatable {
    let negative: Bool
    let significand: UInt128
    let exponent: Int

    init?(_ value: Decimal) {
        guard Self.layoutKnown, let digits = Self.read(value) else { return nil }
        self = digits
    }

    private init(negative: Bool, significand: UInt128, exponent: Int) {
        (self.negative, self.significand, self.exponent) = (negative, significand, exponent)
    }

    /// The fields as the layout places them; `nil` for NaN.
    private static func read(_ value: Decimal) -> DecimalDigits? {
        guard MemoryLayout<Decimal>.size == 20 else { return nil }
        return withUnsafeBytes(of: value) { bytes -> DecimalDigits? in
            let length = Int(bytes[1] >> 4)
            let negative = bytes[1] & 0x08 != 0
            guard length <= 8 else { return nil }
            var significand: UInt128 = 0
            for word in 0..<length {
                let low = UInt128(bytes[4 + 2 * word])
                let high = UInt128(bytes[5 + 2 * word])
                significand |= (low | high << 8) << (16 * word)
            }
            // No significand is zero, or NaN when marked negative.
            if length == 0 { return negative ? nil : DecimalDigits(negative: false, significand: 0, exponent: 0) }
            guard significand > 0 else { return nil }
            return DecimalDigits(
                negative: negative, significand: significand, exponent: Int(Int8(bitPattern: bytes[0])))
        }
    }

    /// Whether the stored bytes of values whose fields are known read as those fields.
    private static let layoutKnown: Bool = {
        let probes: [(String, DecimalDigits?)] = [
            ("-123.45", DecimalDigits(negative: true, significand: 12_345, exponent: -2)),
            ("18446744073709551615E+3", DecimalDigits(negative: false, significand: UInt128(UInt64.max), exponent: 3)),
            ("0.0000007", DecimalDigits(negative: false, significand: 7, exponent: -7)),
            ("0", DecimalDigits(negative: false, significand: 0, exponent: 0)),
            ("18446744073709551616", DecimalDigits(negative: false, significand: 1 << 64, exponent: 0)),
            (
                "-340282366920938463463374607431768211455E-5",
                DecimalDigits(negative: true, significand: .max, exponent: -5)
            ),
        ]
        return probes.allSatisfy { text, fields in
            Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")).map { read($0) == fields } ?? false
        } && read(.nan) == nil
    }()
}
