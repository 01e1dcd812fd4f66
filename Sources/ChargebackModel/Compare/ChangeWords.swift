import Foundation

extension ChangeRow {
    /// An amount with its sign: `+$41.20`, `−$6.90`, `$0.00`.
    public static func signed(_ value: Decimal, in currency: Currency) -> String {
        let text = currency.format(value.magnitude)
        return value > 0 ? "+" + text : value < 0 ? "−" + text : text
    }

    /// The change in percent with its sign, `+12.5 %`, `−3.0 %`, or `nil` when there was no previous cost.
    public var percentText: String? {
        changePercent.map { "\($0 > 0 ? "+" : $0 < 0 ? "−" : "")\(DecimalText.plain($0.magnitude, minScale: 1)) %" }
    }

    /// The change and its drivers in words, largest effect first, e.g. `Research +$41.20 (+12.5 %):
    /// +$48.10 volume, −$6.90 price; most on claude-opus-4-1 (+$45.00)`.
    public func sentence(in currency: Currency) -> String {
        var text = "\(name) \(Self.signed(change, in: currency))"
        if let percent = percentText {
            text += " (\(percent))"
        } else if previousCost == 0 && cost != 0 {
            text += " (new)"
        }
        let effects = [(volume, "volume"), (price, "price"), (mix, "mix")].filter { $0.0 != 0 }
            .sorted { $0.0.magnitude > $1.0.magnitude }
        if !effects.isEmpty {
            text += ": " + effects.map { "\(Self.signed($0.0, in: currency)) \($0.1)" }.joined(separator: ", ")
        }
        if scope != .model, let leading = leadingModel, leading.change != 0 {
            text += "; most on \(leading.name) (\(Self.signed(leading.change, in: currency)))"
        }
        return text
    }
}

extension Comparison {
    /// The rows of `scope` that moved, largest change first (ties by name), at most `limit`.
    public func movers(_ scope: ChangeRow.Scope, limit: Int = 3) -> [ChangeRow] {
        Array(
            rows(scope).filter { $0.change != 0 }
                .sorted { ($1.change.magnitude, $0.name) < ($0.change.magnitude, $1.name) }.prefix(limit))
    }

    /// The previous period in words: `2026-09 (2026-09-01T00:00:00Z to 2026-10-01T00:00:00Z)`.
    public var previousText: String {
        let zone = previous.timeZone
        let from = DateText.rfc3339(previous.start, in: zone)
        let to = DateText.rfc3339(previous.end, in: zone)
        return "\(previous.label) (\(from) to \(to))"
    }
}
