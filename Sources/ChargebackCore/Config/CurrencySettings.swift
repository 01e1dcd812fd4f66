import Foundation

/// One `exchange_rates:` entry of `chargeback.yaml`: 1 `from` is `rate` `to`, in force from `date` on.
public struct ExchangeRate: Sendable, Equatable {
    public let from: String
    public let to: String
    public let rate: Decimal
    /// `YYYY-MM-DD`, a local date of the report's time zone.
    public let date: String
    /// Where it is written (`chargeback.yaml:12`).
    public let origin: String

    public init(from: String, to: String, rate: Decimal, date: String, origin: String) {
        self.from = from
        self.to = to
        self.rate = rate
        self.date = date
        self.origin = origin
    }
}

/// `currency:` and `exchange_rates:` of `chargeback.yaml`: what the reports are kept in, and the
/// rates that turn the price book's currency into it.
public struct CurrencySettings: Sendable, Equatable {
    /// ISO 4217 code of every amount in the reports (and of budgets and thresholds).
    public var currency = "USD"
    public var rates: [ExchangeRate] = []
    /// The line of the `currency:` key, for messages (`nil` when the key is absent).
    public var line: Int?

    public init(currency: String = "USD", rates: [ExchangeRate] = [], line: Int? = nil) {
        self.currency = currency
        self.rates = rates
        self.line = line
    }
}

/// Reads `currency` and `exchange_rates` of `chargeback.yaml`.
enum CurrencySettingsParser {
    static func parse(_ root: YAMLValue) throws -> CurrencySettings {
        var settings = CurrencySettings()
        if let node = try root.optional("currency") {
            settings.currency = try code(node)
            settings.line = node.error("").line
        }
        if let node = try root.optional("exchange_rates") {
            for item in try node.items() {
                try item.allowKeys(["from", "to", "rate", "date"])
                let from = try code(item.required("from"))
                let to = try code(item.required("to"))
                guard from != to else { throw try item.required("to").error("'from' and 'to' are both \(from)") }
                let rateNode = try item.required("rate")
                let rate = try rateNode.decimal()
                guard rate > 0 else { throw rateNode.error("must be greater than 0") }
                let dateNode = try item.required("date")
                let date = try dateNode.string()
                guard date.count == 10, DateText.parseDay(date, in: TimeZone(identifier: "UTC")!) != nil else {
                    throw dateNode.error("expected a date like 2026-10-01, found '\(date.prefix(40))'")
                }
                if settings.rates.contains(where: { $0.from == from && $0.to == to && $0.date == date }) {
                    throw dateNode.error("a second \(from) → \(to) rate on \(date)")
                }
                settings.rates.append(
                    ExchangeRate(from: from, to: to, rate: rate, date: date, origin: location(item) ?? item.file))
            }
        }
        return settings
    }

    /// An ISO 4217 code of ``CurrencyCodes``.
    static func code(_ node: YAMLValue) throws -> String {
        let text = try node.string()
        guard CurrencyCodes.minorUnit(text) != nil else {
            let hint =
                text.count == 3 && CurrencyCodes.minorUnit(text.uppercased()) != nil ? " (write it in capitals)" : ""
            throw node.error(
                "'\(text.prefix(40))' is not an ISO 4217 currency code this program knows\(hint); known: "
                    + CurrencyCodes.minorUnits.keys.sorted().joined(separator: ", "))
        }
        return text
    }

    private static func location(_ node: YAMLValue) -> String? {
        let error = node.error("")
        guard let file = error.file else { return nil }
        return error.line.map { "\(file):\($0)" } ?? file
    }
}
