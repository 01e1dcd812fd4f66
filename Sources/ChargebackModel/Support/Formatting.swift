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
