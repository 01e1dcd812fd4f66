/// Milliseconds since the Unix epoch (UTC).
typealias Millis = Int64

/// Calendar arithmetic and RFC 3339 text for UTC instants, without Foundation's clock or locale.
enum UTC {
    static let second: Millis = 1_000
    static let minute: Millis = 60_000
    static let hour: Millis = 3_600_000
    static let day: Millis = 86_400_000

    /// Floor division (rounds toward negative infinity).
    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// The instant of a UTC calendar date and time.
    static func millis(
        _ year: Int64, _ month: Int64, _ day: Int64,
        _ hour: Int64 = 0, _ minute: Int64 = 0, _ second: Int64 = 0
    ) -> Millis {
        let days = daysFromCivil(year, month, day)
        return days * Self.day + hour * Self.hour + minute * Self.minute + second * Self.second
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(_ year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yearOfEra = y - era * 400
        let shiftedMonth = (month + 9) % 12
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date of a day number (inverse of `daysFromCivil`).
    static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (month <= 2 ? yearOfEra + era * 400 + 1 : yearOfEra + era * 400, month, day)
    }

    /// ISO weekday, Monday = 1 … Sunday = 7.
    static func isoWeekday(_ t: Millis) -> Int {
        Int((floorDiv(t, day) + 3) % 7 + 7) % 7 + 1
    }

    /// Start of the UTC day holding `t`.
    static func startOfDay(_ t: Millis) -> Millis {
        floorDiv(t, day) * day
    }

    /// `2026-10-01` for the UTC day holding `t`.
    static func dateString(_ t: Millis) -> String {
        let (y, m, d) = civilFromDays(floorDiv(t, day))
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    /// RFC 3339 in UTC: `2026-10-01T00:00:00Z`, or `2026-10-01T00:00:00.000Z` with `milliseconds`.
    static func format(_ t: Millis, milliseconds: Bool = false) -> String {
        let ofDay = t - startOfDay(t)
        let h = ofDay / hour
        let m = ofDay % hour / minute
        let s = ofDay % minute / second
        let fraction = milliseconds ? "." + pad(ofDay % second, 3) : ""
        return "\(dateString(t))T\(pad(h, 2)):\(pad(m, 2)):\(pad(s, 2))\(fraction)Z"
    }

    /// Parses RFC 3339 (`2026-09-26T00:00:00Z`, optional fraction, `Z` or `±HH:MM`) or a bare date.
    static func parse(_ text: String) -> Millis? {
        let chars = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int64? {
            guard from + count <= chars.count else { return nil }
            var value: Int64 = 0
            for c in chars[from..<(from + count)] {
                guard c >= 48, c <= 57 else { return nil }
                value = value * 10 + Int64(c - 48)
            }
            return value
        }
        guard let y = number(0, 4), chars.count >= 10, chars[4] == 45, chars[7] == 45,
            let mo = number(5, 2), let d = number(8, 2), (1...12).contains(mo), (1...31).contains(d)
        else { return nil }
        if chars.count == 10 { return millis(y, mo, d) }
        guard chars.count >= 20, chars[10] == 84 || chars[10] == 116, chars[13] == 58, chars[16] == 58,
            let h = number(11, 2), let mi = number(14, 2), let s = number(17, 2), h < 24, mi < 60, s < 61
        else { return nil }
        var index = 19
        var fraction: Millis = 0
        if chars[index] == 46 {
            var scale: Int64 = 100
            index += 1
            while index < chars.count, chars[index] >= 48, chars[index] <= 57 {
                fraction += Int64(chars[index] - 48) * scale
                scale /= 10
                index += 1
            }
        }
        guard index < chars.count else { return nil }
        var offset: Millis = 0
        switch chars[index] {
        case 90, 122:  // Z z
            guard index + 1 == chars.count else { return nil }
        case 43, 45:  // + -
            guard index + 6 == chars.count, chars[index + 3] == 58,
                let oh = number(index + 1, 2), let om = number(index + 4, 2)
            else { return nil }
            offset = (oh * hour + om * minute) * (chars[index] == 43 ? 1 : -1)
        default:
            return nil
        }
        return millis(y, mo, d, h, mi, s) + fraction - offset
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
