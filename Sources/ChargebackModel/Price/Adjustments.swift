import Foundation

/// A day or instant an adjustment starts or ends at. A plain date is a local midnight in the
/// report's time zone (so a fee `from: 2026-10-01` covers all of a Berlin October); an RFC 3339
/// time is that instant.
public enum AdjustmentDate: Sendable, Equatable {
    case day(year: Int, month: Int, day: Int)
    case instant(Date)

    /// The instant in `zone`.
    public func date(in zone: TimeZone) -> Date {
        switch self {
        case .instant(let date): return date
        case .day(let year, let month, let day):
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            return calendar.date(from: DateComponents(year: year, month: month, day: day)) ?? .distantPast
        }
    }
}

/// When an adjustment is in force: from `from` (inclusive) up to `to` (exclusive, open when `nil`).
public struct AdjustmentSpan: Sendable, Equatable {
    public let from: AdjustmentDate
    public let to: AdjustmentDate?

    public init(from: AdjustmentDate, to: AdjustmentDate? = nil) {
        self.from = from
        self.to = to
    }

    /// Whether an hour starting at `instant` is in force, dates read in `zone`.
    public func contains(_ instant: Date, in zone: TimeZone) -> Bool {
        instant >= from.date(in: zone) && to.map { instant < $0.date(in: zone) } ?? true
    }

    /// The part of `period` in force, `nil` when none is.
    public func clip(_ period: Period) -> Period? {
        let start = max(period.start, from.date(in: period.timeZone))
        let end = min(period.end, to?.date(in: period.timeZone) ?? period.end)
        guard start < end else { return nil }
        return Period(label: period.label, start: start, end: end, timeZone: period.timeZone)
    }
}

/// How a fixed amount or credit is spread over the teams.
public enum AdjustmentSpread: Sendable, Equatable {
    /// In proportion to each team's list cost for the period (evenly when no team has any).
    case proportional
    /// The same share for every team of `teams.yaml`.
    case even
    /// In proportion to fixed positive weights per team.
    case weights([String: Decimal])
    /// All of it to one team.
    case team(String)
}

/// A percent off list price for the usage whose labels match (an enterprise agreement).
public struct Discount: Sendable, Equatable {
    /// Label globs that must all match (`system`, `model`, `gateway`, any label); empty matches all.
    public let match: [String: Glob]
    public let percent: Decimal
    public let span: AdjustmentSpan
    /// `pricing.yaml:14`.
    public let origin: String

    public init(match: [String: Glob], percent: Decimal, span: AdjustmentSpan, origin: String) {
        self.match = match
        self.percent = percent
        self.span = span
        self.origin = origin
    }

    /// `10 % off {system: anthropic}`, for reports.
    public var name: String {
        let labels = match.keys.sorted().map { "\($0): \(match[$0]!.pattern)" }.joined(separator: ", ")
        return "Discount \(DecimalText.plain(percent, minScale: 0)) %" + (labels.isEmpty ? "" : " on {\(labels)}")
    }
}

/// A platform overhead percent on the discounted cost, shown as its own line.
public struct Markup: Sendable, Equatable {
    public let percent: Decimal
    public let span: AdjustmentSpan
    public let origin: String

    public init(percent: Decimal, span: AdjustmentSpan, origin: String) {
        self.percent = percent
        self.span = span
        self.origin = origin
    }

    public var name: String { "Markup \(DecimalText.plain(percent, minScale: 0)) %" }
}

/// An amount per calendar month (a fee, provisioned throughput, a support plan; or, negative, a
/// credit), prorated by time over the part of a month the period and its span cover.
public struct FixedCharge: Sendable, Equatable {
    public let name: String
    /// Per month in the price book's currency; negative for a credit.
    public let monthlyAmount: Decimal
    public let span: AdjustmentSpan
    public let spread: AdjustmentSpread
    public let origin: String
    /// The line in the pricing file, for the check that named teams exist.
    public let line: Int?

    public init(
        name: String, monthlyAmount: Decimal, span: AdjustmentSpan, spread: AdjustmentSpread,
        origin: String, line: Int? = nil
    ) {
        self.name = name
        self.monthlyAmount = monthlyAmount
        self.span = span
        self.spread = spread
        self.origin = origin
        self.line = line
    }
}

/// The `adjustments:` of `pricing.yaml`: what turns list cost into the net a team pays.
public struct AdjustmentTerms: Sendable, Equatable {
    /// In file order; the first discount that matches a key and is in force at an hour applies.
    public let discounts: [Discount]
    /// Every markup in force at an hour applies, each to the discounted cost.
    public let markups: [Markup]
    public let fixed: [FixedCharge]
    /// Stored with negative amounts.
    public let credits: [FixedCharge]

    public init(
        discounts: [Discount] = [], markups: [Markup] = [], fixed: [FixedCharge] = [],
        credits: [FixedCharge] = []
    ) {
        self.discounts = discounts
        self.markups = markups
        self.fixed = fixed
        self.credits = credits
    }

    public var isEmpty: Bool { discounts.isEmpty && markups.isEmpty && fixed.isEmpty && credits.isEmpty }

    /// Label keys the discounts look at beyond the four logical dimensions.
    public var extraLabelKeys: [String] {
        let logical: Set<String> = ["gateway", "model", "token_type", "system"]
        return Set(discounts.flatMap(\.match.keys)).subtracting(logical).sorted()
    }
}
