import Foundation

/// Parses Prometheus-style durations (`90s`, `5m`, `1h30m`, `2d`, `1w`, `250ms`) into seconds.
public enum DurationText {
    private static let units: [(suffix: String, seconds: Double)] = [
        ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400), ("w", 604_800),
    ]

    /// Seconds in `text`, or `nil` when it is not a positive, finite duration.
    public static func seconds(_ text: String) -> Double? {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        guard !rest.isEmpty else { return nil }
        var total = 0.0
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isNumber }
            guard !digits.isEmpty, let number = Double(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            guard let unit = units.first(where: { rest.hasPrefix($0.suffix) }) else { return nil }
            rest = rest.dropFirst(unit.suffix.count)
            total += number * unit.seconds
        }
        return total > 0 && total.isFinite ? total : nil
    }

    /// The shortest Prometheus duration text for a whole number of seconds (`3600` → `1h`).
    public static func text(seconds: Int) -> String {
        for (suffix, size) in [("w", 604_800), ("d", 86400), ("h", 3600), ("m", 60)] where seconds % size == 0 {
            return "\(seconds / size)\(suffix)"
        }
        return "\(seconds)s"
    }
}
