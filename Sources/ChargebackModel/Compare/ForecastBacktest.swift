import Foundation

/// How well ``Forecaster`` did on the bundled sample history: forecasts of October 2026 made
/// as of the start of days 5, 10, 15, 20 and 25 against the month's measured total. The
/// integration tests make the same forecasts and fail when these figures are no longer what the
/// method gives.
public enum ForecastBacktest {
    /// The days of October the forecasts were made on (as of 00:00 UTC).
    public static let days = [5, 10, 15, 20, 25]
    /// Absolute error of each forecast's total against the actual, in percent (0.1 %).
    /// The spikes of 7, 15 and 23 October are in no profile before them, so the early forecasts are low.
    public static let errors: [Decimal] = [
        Decimal(string: "19.2")!, Decimal(string: "5.9")!, Decimal(string: "9.7")!,
        Decimal(string: "0.9")!, Decimal(string: "2.6")!,
    ]

    /// Mean absolute percentage error of the forecasts from `fromDay` on.
    public static func meanError(fromDay: Int = 5) -> Decimal {
        let chosen = zip(days, errors).filter { $0.0 >= fromDay }.map(\.1)
        return chosen.isEmpty ? 0 : Money.round(chosen.reduce(0, +) / Decimal(chosen.count), scale: 1)
    }

    /// The error in words, for the report's method.
    public static var sentence: String {
        "Backtest on the bundled sample history (forecasts of October 2026 made on days 5, 10, 15, 20 and 25 "
            + "against the month's measured total): mean absolute error "
            + "\(DecimalText.plain(meanError(), minScale: 1)) %, "
            + "\(DecimalText.plain(meanError(fromDay: 10), minScale: 1)) % from the 10th on "
            + "(per day: \(errors.map { DecimalText.plain($0, minScale: 1) + " %" }.joined(separator: ", ")))."
    }
}
