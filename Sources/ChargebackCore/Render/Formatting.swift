import Foundation

/// Human-readable numbers for Markdown and the terminal summary (CSV keeps plain numbers).
public enum Formatting {
    /// `1234567` → `1,234,567`.
    public static func count(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// The ISO 4217 code amounts are shown in: the report's, set by each renderer for its run.
    @TaskLocal public static var currency = "USD"

    /// `1234.5` → `$1,234.50` in ``currency`` (`€1,234.50`, `£…`, `¥1,235`, else `CHF 1,234.50`),
    /// rounded half away from zero to the currency's minor unit.
    public static func money(_ value: Decimal) -> String {
        let code = currency
        let decimals = CurrencyCodes.minorUnit(code) ?? 2
        let text = DecimalText.plain(Money.round(value, scale: decimals), minScale: decimals)
        let negative = text.hasPrefix("-")
        let parts = text.trimmingCharacters(in: CharacterSet(charactersIn: "-")).split(separator: ".")
        let whole = count(Int64(parts[0]) ?? 0)
        let symbol = symbols[code] ?? "\(code) "
        return (negative ? "-" : "") + symbol + whole + (parts.count > 1 ? "." + parts[1] : "")
    }

    private static let symbols = ["USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"]

    /// `0.98765` → `98.77 %`.
    public static func percent(_ ratio: Double, decimals: Int = 2) -> String {
        String(format: "%.\(decimals)f %%", ratio * 100)
    }

    /// A duration as `3h 05m`, `12m 30s` or `45s`.
    public static func duration(seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let (h, m, s) = (total / 3600, (total % 3600) / 60, total % 60)
        if h > 0 { return String(format: "%dh %02dm", h, m) }
        if m > 0 { return String(format: "%dm %02ds", m, s) }
        return "\(s)s"
    }
}
