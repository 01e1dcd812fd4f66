import Foundation

/// A small ISO 4217 table: the codes a report may be kept in, with their minor units (the number
/// of decimals of the smallest coin: 2 for USD and EUR, 0 for JPY, 3 for KWD).
public enum CurrencyCodes {
    /// Code → minor units.
    public static let minorUnits: [String: Int] = [
        "AED": 2, "ARS": 2, "AUD": 2, "BGN": 2, "BHD": 3, "BRL": 2, "CAD": 2, "CHF": 2, "CLP": 0, "CNY": 2,
        "COP": 2, "CZK": 2, "DKK": 2, "EGP": 2, "EUR": 2, "GBP": 2, "HKD": 2, "HUF": 2, "IDR": 2, "ILS": 2,
        "INR": 2, "ISK": 0, "JOD": 3, "JPY": 0, "KRW": 0, "KWD": 3, "MXN": 2, "MYR": 2, "NOK": 2, "NZD": 2,
        "OMR": 3, "PHP": 2, "PLN": 2, "RON": 2, "SAR": 2, "SEK": 2, "SGD": 2, "THB": 2, "TND": 3, "TRY": 2,
        "TWD": 2, "UAH": 2, "USD": 2, "VND": 0, "ZAR": 2,
    ]

    /// The minor units of `code`, `nil` for a code not in the table.
    public static func minorUnit(_ code: String) -> Int? { minorUnits[code] }
}
