import ChargebackModel
import Foundation

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
