import Foundation

/// FOCUS values as clouds write them.
package enum FOCUSValues {
    /// `nil` for a null: an empty field or `NULL` (any case; quoted or not, CSV cannot tell).
    package static func value(_ text: String) -> String? {
        if text.isEmpty || (text.utf8.count == 4 && text.uppercased() == "NULL") { return nil }
        return text
    }

    /// A FOCUS date-time, which is UTC: `2024-09-18 22:00:00`, `2024-09-18T22:00:00Z`, with or
    /// without seconds, a fraction (up to 9 digits) or `Z`; an explicit `±HH:MM` offset is applied;
    /// a bare date is its midnight.
    package static func time(_ text: String) -> Date? {
        let b = Array(text.utf8)
        var i = 0
        func digits(_ count: Int) -> Int? {
            guard i + count <= b.count else { return nil }
            var value = 0
            for byte in b[i..<(i + count)] {
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            i += count
            return value
        }
        func take(_ byte: UInt8) -> Bool {
            guard i < b.count, b[i] == byte else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), take(0x2D), let month = digits(2), take(0x2D), let day = digits(2),
            (1...12).contains(month), (1...daysIn(month, year)).contains(day)
        else { return nil }
        var seconds = 0
        var fraction = 0.0
        if i < b.count && (b[i] == 0x20 || b[i] == 0x54 || b[i] == 0x74) {
            i += 1
            guard let hour = digits(2), hour < 24, take(0x3A), let minute = digits(2), minute < 60 else { return nil }
            seconds = hour * 3600 + minute * 60
            if take(0x3A) {
                guard let second = digits(2), second < 61 else { return nil }
                seconds += second
                if take(0x2E) {
                    var scale = 0.1
                    var count = 0
                    while i < b.count, b[i] >= 0x30 && b[i] <= 0x39 {
                        fraction += Double(b[i] - 0x30) * scale
                        scale /= 10
                        count += 1
                        i += 1
                    }
                    guard (1...9).contains(count) else { return nil }
                }
            }
            if take(0x5A) || take(0x7A) {
            } else if i < b.count && (b[i] == 0x2B || b[i] == 0x2D) {
                let sign = b[i] == 0x2B ? 1 : -1
                i += 1
                guard let hours = digits(2), hours < 24, take(0x3A), let minutes = digits(2), minutes < 60 else {
                    return nil
                }
                seconds -= sign * (hours * 3600 + minutes * 60)
            }
        }
        guard i == b.count else { return nil }
        let days = civilDays(year: year, month: month, day: day)
        return Date(timeIntervalSince1970: Double(days * 86_400 + seconds) + fraction)
    }

    private static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static func civilDays(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

/// Shared checks of invoice text.
enum InvoiceText {
    /// A plain decimal number (an exponent of at most two digits, no NaN, magnitude below 10¹⁵), exactly.
    static func decimal(_ text: String) -> Decimal? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let b = Array(trimmed.utf8)
        guard !b.isEmpty, b.count <= 40 else { return nil }
        var i = 0
        if b[i] == 0x2B || b[i] == 0x2D { i += 1 }
        func isDigit(_ k: Int) -> Bool { k < b.count && b[k] >= 0x30 && b[k] <= 0x39 }
        var mantissa = 0
        while isDigit(i) {
            i += 1
            mantissa += 1
        }
        if i < b.count && b[i] == 0x2E {
            i += 1
            while isDigit(i) {
                i += 1
                mantissa += 1
            }
        }
        guard mantissa > 0 else { return nil }
        if i < b.count && (b[i] == 0x65 || b[i] == 0x45) {
            i += 1
            if i < b.count && (b[i] == 0x2B || b[i] == 0x2D) { i += 1 }
            let start = i
            while isDigit(i) { i += 1 }
            guard (1...2).contains(i - start) else { return nil }
        }
        guard i == b.count, let value = Decimal(string: trimmed, locale: posix),
            value.magnitude < Decimal(sign: .plus, exponent: 15, significand: 1)
        else { return nil }
        return value
    }

    private static let posix = Locale(identifier: "en_US_POSIX")

    static func isCurrency(_ code: String) -> Bool {
        code.count == 3 && code.allSatisfy { $0.isASCII && $0.isUppercase }
    }
}
