import Foundation

/// Decimal helpers for money. Never binary floating point.
public enum Money {
    /// `value` rounded to `scale` decimal places with `mode` (`.plain` is half away from zero).
    public static func round(_ value: Decimal, scale: Int = 2, _ mode: NSDecimalNumber.RoundingMode = .plain) -> Decimal
    {
        var input = value
        var result = Decimal()
        NSDecimalRound(&result, &input, scale, mode)
        return result
    }

    /// A price per million tokens as a price per token: `perMillion` ÷ 1,000,000 exactly, by moving
    /// its decimal point (a `Decimal` division costs a long division per call).
    public static func perToken(_ perMillion: Decimal) -> Decimal {
        guard perMillion.isFinite, !perMillion.isZero, perMillion.exponent >= -120 else {
            return perMillion / 1_000_000
        }
        return Decimal(sign: perMillion.sign, exponent: perMillion.exponent - 6, significand: perMillion.significand)
    }

    /// Distributes `total` cents over parts in proportion to their exact `amounts` with the
    /// largest-remainder method: each part gets its amount rounded down to the cent, and the cents
    /// left over go one each to the parts with the largest remainders (ties to the earlier part).
    /// - Precondition: amounts are non-negative; `total` is the rounded sum (or within `amounts.count` cents of it).
    /// - Parameter scale: decimals of the smallest unit (2: cents; 0: yen).
    /// - Returns: amounts with `scale` decimals that add up to exactly `total`.
    public static func largestRemainder(_ amounts: [Decimal], total: Decimal, scale: Int = 2) -> [Decimal] {
        let step = Decimal(sign: .plus, exponent: -scale, significand: 1)
        let floors = amounts.map { round($0, scale: scale, .down) }
        var left = Int(truncating: NSDecimalNumber(decimal: (total - floors.reduce(0, +)) / step))
        let remainders = zip(amounts, floors).map { round($0 - $1, scale: remainderScale) }
        let order = amounts.indices.sorted { (remainders[$0], $1) > (remainders[$1], $0) }
        var result = floors
        for index in order where left > 0 {
            result[index] += step
            left -= 1
        }
        return result
    }

    /// Splits a whole number of tokens in proportion to `weights` with the largest-remainder method.
    public static func splitTokens(_ tokens: Int64, weights: [Decimal]) -> [Int64] {
        let sum = weights.reduce(0, +)
        guard sum > 0, tokens > 0 else { return weights.map { _ in 0 } }
        let exact = weights.map { Decimal(tokens) * $0 / sum }
        let floors = exact.map { Int64(truncating: NSDecimalNumber(decimal: round($0, scale: 0, .down))) }
        var left = tokens - floors.reduce(0, +)
        var result = floors
        let remainders = zip(exact, floors).map { round($0 - Decimal($1), scale: remainderScale) }
        let order = exact.indices.sorted { (remainders[$0], $1) > (remainders[$1], $0) }
        for index in order where left > 0 {
            result[index] += 1
            left -= 1
        }
        return result
    }

    /// Remainders are compared at this many decimals, so that equal shares computed with
    /// different rounding noise in Decimal's last digit still tie (and go to the earlier part).
    private static let remainderScale = 20

    /// `Decimal` to `Double` for places that need a binary number (spreadsheet cells, percentages).
    public static func double(_ value: Decimal) -> Double { NSDecimalNumber(decimal: value).doubleValue }
}
