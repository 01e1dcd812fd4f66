import Foundation

/// How the price book's amounts become the report's: one exchange rate for the whole period, and
/// the report currency's minor unit, to which the ledger rounds.
///
/// The rate is the `exchange_rates:` entry from the book's currency to the report's with the
/// latest `date` on or before the period's first day (in the report's time zone). Costs are
/// converted once, exactly, as they are priced (each hour's tokens × price × rate), before the
/// ledger rounds anything; fixed amounts and credits of `pricing.yaml`, which are in the book's
/// currency, and invoices in the book's currency are converted at the same rate.
public struct Conversion: Sendable, Equatable {
    /// The price book's currency.
    public let from: String
    /// The report's currency.
    public let to: String
    /// 1 `from` = `rate` `to` (1 when they are the same).
    public let rate: Decimal
    /// The rate's `date`, `nil` when no conversion is needed.
    public let date: String?
    /// Where the rate is written, `nil` when no conversion is needed.
    public let origin: String?
    /// Decimals of `to`'s smallest unit.
    public let minorUnits: Int

    public init(from: String, to: String, rate: Decimal, date: String?, origin: String?, minorUnits: Int) {
        self.from = from
        self.to = to
        self.rate = rate
        self.date = date
        self.origin = origin
        self.minorUnits = minorUnits
    }

    /// No conversion: USD prices, a USD report.
    public static let usd = Conversion(from: "USD", to: "USD", rate: 1, date: nil, origin: nil, minorUnits: 2)

    /// Whether amounts change currency.
    public var converts: Bool { from != to }

    /// The currency converted into, with its minor unit.
    public var currency: Currency { Currency(to) }

    /// `amount` in the book's currency, in the report's (exact, not rounded).
    public func convert(_ amount: Decimal) -> Decimal { converts ? amount * rate : amount }

    /// For people: `1 USD = 0.92 EUR (rate of 2026-10-01, chargeback.yaml:9)`, or `nil` without conversion.
    public var sentence: String? {
        guard converts, let date else { return nil }
        return "1 \(from) = \(DecimalText.plain(rate, minScale: 0)) \(to) (rate of \(date)"
            + (origin.map { ", \($0)" } ?? "") + ")"
    }

    /// The conversion in force for a period starting at `start`.
    /// - Throws: ``InputError`` at the `currency:` key when no rate from the book's currency to the
    ///   report's is in force on the period's first day.
    public static func resolve(
        _ settings: CurrencySettings, bookCurrency: String, start: Date, timeZone: TimeZone, configFile: String
    ) throws -> Conversion {
        let to = settings.currency
        let minor = CurrencyCodes.minorUnit(to) ?? 2
        guard bookCurrency != to else {
            return Conversion(from: to, to: to, rate: 1, date: nil, origin: nil, minorUnits: minor)
        }
        let day = DateText.day(start, in: timeZone)
        let candidates = settings.rates.filter { $0.from == bookCurrency && $0.to == to }
        guard let rate = candidates.filter({ $0.date <= day }).max(by: { $0.date < $1.date }) else {
            let known = candidates.map(\.date).sorted()
            throw InputError(
                file: configFile, line: settings.line,
                "currency: the prices are in \(bookCurrency) and the report in \(to), but no exchange rate from "
                    + "\(bookCurrency) to \(to) is in force on \(day)"
                    + (known.isEmpty ? "" : " (the earliest is of \(known[0]))")
                    + "; add exchange_rates: [{ from: \(bookCurrency), to: \(to), rate: …, date: \(day) }]")
        }
        return Conversion(
            from: bookCurrency, to: to, rate: rate.rate, date: rate.date, origin: rate.origin, minorUnits: minor)
    }
}

extension Invoice {
    /// The invoice with its lines in `conversion.from` turned into `conversion.to` at its rate
    /// (exactly); lines in any other currency are kept as they are (``InvoiceCurrencies``).
    public func converted(_ conversion: Conversion) -> Invoice {
        guard conversion.converts else { return self }
        let lines = lines.map { line in
            guard line.currency == conversion.from else { return line }
            return line.with(amount: conversion.convert(line.amount), currency: conversion.to)
        }
        return Invoice(file: file, format: format, lines: lines, sha256: sha256, summary: summary)
    }
}
