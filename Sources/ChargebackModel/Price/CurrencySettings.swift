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
