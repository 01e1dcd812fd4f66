import Foundation

/// One line of the ledger: one usage key in one bucket (a day, or an hour with `--granularity
/// hour`) at one price. A bucket in which the price changes holds one line per price.
public struct LedgerLine: Sendable, Equatable {
    /// Index of the key's line in ``Report/lines``.
    public let line: Int
    public let key: UsageKey
    /// Index in ``Ledger/buckets``.
    public let bucket: Int
    public let hours: Range<Int>
    /// USD per million tokens, `nil` when unpriced.
    public let unitPrice: Decimal?
    public let tokens: Int64
    public let billableTokens: Int64
    /// Measured cost, unrounded.
    public let exactCost: Decimal
    /// The line's cents: the sum of its cells.
    public let cost: Decimal
}

/// One cell of the ledger: one team's share of one line.
public struct LedgerCell: Sendable, Equatable {
    /// Index in ``Allocation/teamOrder``.
    public let team: Int
    /// Index in ``Ledger/lines``.
    public let line: Int
    /// Index in ``Allocation/rows``.
    public let row: Int
    public let tokens: Int64
    public let billableTokens: Int64
    public let exactCost: Decimal
    public let cost: Decimal
}

/// The one set of cents of a report: every team × line, rounded once.
///
/// The cells are rounded together (``ControlledRounding``) so that each cell, each team, each
/// team's chargeback row (team × key × price), each line (key × bucket × price), each key, each
/// gateway × model × token type, each gateway × model and each gateway is within one cent of its
/// exact amount, no cell of a non-negative amount is negative, and the cells add up exactly to the
/// period total rounded to cents (half away from zero). Every other figure (a model across
/// gateways, a day, a week, a team's day) is a sum of these cents, the same in every file, and
/// may differ from its own exact amount by more than a cent. Tokens are shared between teams the
/// same way, in whole tokens; so are the cached tokens inside `input` (measured − billable), in
/// proportion to each cell's whole tokens, and a cell's billable tokens are its tokens less its
/// cached share: never more than its tokens, and equal to them where the line has none cached.
public struct Ledger: Sendable, Equatable {
    /// Buckets are hours rather than days.
    public let hourly: Bool
    /// The hours of each bucket.
    public let buckets: [Range<Int>]
    /// By key (in ``Report/lines`` order), then time.
    public let lines: [LedgerLine]
    /// By line, then team.
    public let cells: [LedgerCell]

    public init(hourly: Bool, buckets: [Range<Int>], lines: [LedgerLine], cells: [LedgerCell]) {
        self.hourly = hourly
        self.buckets = buckets
        self.lines = lines
        self.cells = cells
    }

    /// The quantum of exact amounts: 10⁻¹⁵ USD, so a cent is 10¹³ units (and a token, for token shares).
    package static let unitsPerCent: Int128 = 10_000_000_000_000

    /// `amount` (USD, or tokens × 100) in units, rounded to the nearest unit (half away from zero).
    package static func units(_ amount: Decimal) -> Int128 {
        // Nearly every amount, moved in integers (a cost line's cents are turned into units for
        // every piece and cell; Decimal arithmetic is ~50× slower).
        if let parts = DecimalDigits(amount), let digits = Int128(exactly: parts.significand) {
            let shift = parts.exponent + 15
            var units: Int128?
            if shift >= 0 {
                if shift <= 38 {
                    let (product, overflow) = digits.multipliedReportingOverflow(by: powersOfTen[shift])
                    units = overflow ? nil : product
                }
            } else if shift >= -38 {
                let divisor = powersOfTen[-shift]
                let (quotient, remainder) = digits.quotientAndRemainder(dividingBy: divisor)
                units = quotient + (remainder >= divisor - remainder ? 1 : 0)
            }
            if let units { return parts.negative ? -units : units }
        }
        return decimalUnits(amount)
    }

    /// 10⁰ through 10³⁸, the powers of ten an `Int128` holds.
    private static let powersOfTen: [Int128] = (1...38).reduce(into: [1]) { powers, _ in
        powers.append(powers.last! * 10)
    }

    /// ``units(_:)`` in `Decimal` arithmetic, for any amount.
    package static func decimalUnits(_ amount: Decimal) -> Int128 {
        if amount == 0 { return 0 }
        let scaled = Money.round(amount * Decimal(sign: .plus, exponent: 15, significand: 1), scale: 0)
        let base = Decimal(sign: .plus, exponent: 18, significand: 1)
        let high = Money.round(scaled / base, scale: 0, .down)
        let low = scaled - high * base
        return Int128(NSDecimalNumber(decimal: high).int64Value) * 1_000_000_000_000_000_000
            + Int128(NSDecimalNumber(decimal: low).int64Value)
    }

    /// Units per smallest coin of a currency with `minorUnits` decimals (a cent: 10¹³; a yen: 10¹⁵).
    package static func unitsPerMinor(_ minorUnits: Int) -> Int128 { powersOfTen[max(0, 15 - minorUnits)] }

    /// Whole cents (or yen, with `minorUnits` 0) as a `Decimal` amount.
    package static func amount(minor: Int64, _ minorUnits: Int = 2) -> Decimal {
        Decimal(sign: minor < 0 ? .minus : .plus, exponent: -minorUnits, significand: Decimal(minor.magnitude))
    }
}

extension Buckets {
    /// The hours of each ledger bucket: the days, or with `hourly` each hour.
    public func ledgerBuckets(hourly: Bool) -> [Range<Int>] {
        hourly ? (0..<hourCount).map { $0..<($0 + 1) } : days.map(\.hours)
    }
}
