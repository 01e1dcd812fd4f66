import Foundation

/// The sign, significand and exponent of a finite `Decimal`, read from the value's stored bytes:
/// Foundation keeps NSDecimal's fields (an 8-bit exponent; the length in 16-bit words, the sign
/// and the compact flag; eight 16-bit words of significand, least significant first) but does not
/// make them public. The layout is checked once against values of known fields; on any other
/// layout nothing is read (`nil`), and callers take Foundation's path.
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

extension DecimalDigits {
    /// `a + b` as Foundation's `+` makes it (the same digits, exponent and flags), in integers when
    /// both significands line up and add within 128 bits, and by Foundation otherwise (a sum of
    /// zero, an alignment or a sum that would round). Foundation's `+` is ~20× slower, and a
    /// report of 50,000 per-user series adds cents millions of times.
    static func sum(_ a: Decimal, _ b: Decimal) -> Decimal {
        guard let x = DecimalDigits(a), let y = DecimalDigits(b) else { return a + b }
        if y.significand == 0 { return a }
        if x.significand == 0 { return b }
        let exponent = min(x.exponent, y.exponent)
        guard let left = x.significand(at: exponent), let right = y.significand(at: exponent) else { return a + b }
        var magnitude: UInt128
        let negative: Bool
        if x.negative == y.negative {
            let (total, overflow) = left.addingReportingOverflow(right)
            guard !overflow else { return a + b }
            (magnitude, negative) = (total, x.negative)
        } else {
            (magnitude, negative) = left >= right ? (left - right, x.negative) : (right - left, y.negative)
        }
        guard magnitude != 0 else { return a + b }
        // Compact, as Foundation leaves every sum: no trailing zeros in the significand.
        var compactExponent = exponent
        while magnitude % 10 == 0, compactExponent < Int(Int8.max) {
            magnitude /= 10
            compactExponent += 1
        }
        return DecimalDigits(negative: negative, significand: magnitude, exponent: compactExponent).decimal
    }

    /// The significand written at the lower `exponent` (× 10 per step), or `nil` past 128 bits.
    private func significand(at target: Int) -> UInt128? {
        var scaled = significand
        for _ in 0..<(exponent - target) {
            let (product, overflow) = scaled.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            scaled = product
        }
        return scaled
    }

    /// The `Decimal` of these fields, compact, in the layout checked at first use.
    private var decimal: Decimal {
        var value = Decimal()
        var length = 0
        while length < 8, significand >> (16 * length) != 0 { length += 1 }
        withUnsafeMutableBytes(of: &value) { bytes in
            bytes[0] = UInt8(bitPattern: Int8(exponent))
            bytes[1] = UInt8(length << 4) | (negative ? 0x08 : 0) | 0x04
            for word in 0..<8 {
                bytes[4 + 2 * word] = UInt8(truncatingIfNeeded: significand >> (16 * word))
                bytes[5 + 2 * word] = UInt8(truncatingIfNeeded: significand >> (16 * word + 8))
            }
        }
        return value
    }
}

extension Decimal {
    /// Adds `other` as `+=` does, in integers where the digits allow (``DecimalDigits/sum(_:_:)``):
    /// for the sums over every line and hour of a report.
    package mutating func accumulate(_ other: Decimal) {
        self = DecimalDigits.sum(self, other)
    }
}
