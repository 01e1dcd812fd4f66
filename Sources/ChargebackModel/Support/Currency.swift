import Foundation

/// An ISO 4217 currency with its minor unit: how amounts in it are rounded and written. A report
/// carries its own (``Report/currency``), so no renderer needs an ambient one.
public struct Currency: Sendable, Hashable, CustomStringConvertible {
    public let code: String
    /// Decimals of the smallest coin: 2 for USD and EUR, 0 for JPY, 3 for KWD (2 for a code
    /// outside ``CurrencyCodes``).
    public let minorUnit: Int

    public init(_ code: String) {
        self.code = code
        minorUnit = CurrencyCodes.minorUnit(code) ?? 2
    }

    public static let usd = Currency("USD")

    /// The code, so that `"Amount (\(currency))"` reads `Amount (EUR)`.
    public var description: String { code }

    /// `amount` rounded half away from zero to the minor unit.
    public func round(_ amount: Decimal) -> Decimal { Money.round(amount, scale: minorUnit) }

    /// `1234.5` → `$1,234.50` (`€1,234.50`, `£…`, `¥1,235`, else `CHF 1,234.50`), rounded half away
    /// from zero to the minor unit.
    public func format(_ amount: Decimal) -> String {
        let text = DecimalText.plain(round(amount), minScale: minorUnit)
        let negative = text.hasPrefix("-")
        let parts = text.trimmingCharacters(in: CharacterSet(charactersIn: "-")).split(separator: ".")
        let whole = Formatting.count(Int64(parts[0]) ?? 0)
        let symbol = Self.symbols[code] ?? "\(code) "
        return (negative ? "-" : "") + symbol + whole + (parts.count > 1 ? "." + parts[1] : "")
    }

    private static let symbols = ["USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"]
}
