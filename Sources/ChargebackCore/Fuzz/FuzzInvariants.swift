import ChargebackConfig
import ChargebackDeliver
import ChargebackMeasure
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation
import NIOCore

/// Cheap checks on what the parsers return, mirroring what later code relies on. Each returns
/// the broken rules in words (empty when all hold).
public enum FuzzInvariants {
    static let models = ["claude-sonnet-4-5-20250929", "gpt-4o", "", String(repeating: "a", count: 40)]
    static let instants = [Date(timeIntervalSince1970: 0), FuzzEntryPoints.now, Date(timeIntervalSince1970: 4e9)]

    static func check(_ config: FuzzEntryPoints.ConfigSummary) -> [String] {
        let prometheus = config.prometheus
        let thresholds = [
            config.thresholds.daily, config.thresholds.weekly, config.thresholds.monthly,
            config.thresholds.hourlyProjectionPerDay,
        ]
        thresholds.compactMap { $0 }.forEach(Arithmetic.threshold)
        // What PrometheusClient makes of the timeout (a trap if it does not fit NIO's nanoseconds).
        _ = TimeAmount.milliseconds(Int64(max(prometheus.timeout, 0.001) * 1000))
        _ = TimeAmount.milliseconds(Int64(prometheus.timeout * 1000))
        return problems([
            (["http", "https"].contains(prometheus.url.scheme?.lowercased() ?? ""), "URL scheme \(prometheus.url)"),
            (prometheus.timeout > 0, "timeout \(prometheus.timeout) s"),
            (prometheus.chunkSeconds >= 60, "chunk \(prometheus.chunkSeconds) s"),
            ((0...20).contains(prometheus.retries), "retries \(prometheus.retries)"),
            ((1...64).contains(prometheus.concurrency), "concurrency \(prometheus.concurrency)"),
            (config.gapFactor.isFinite && config.gapFactor > 1, "gap factor \(config.gapFactor)"),
            (thresholds.allSatisfy { $0 == nil || $0! > 0 }, "a threshold is not positive"),
        ])
    }

    static func check(_ book: PriceBook) -> [String] {
        var rules: [(Bool, String)] = []
        for model in book.models {
            rules.append((!model.prices.isEmpty, "\(model.match) has no prices"))
            for (earlier, later) in zip(model.prices, model.prices.dropFirst()) {
                rules.append((earlier.from < later.from, "\(model.match): price dates do not increase"))
            }
            for point in model.prices {
                _ = DateText.priceStart(point.from)  // `chargeback prices` prints it
                rules.append(
                    (
                        TokenKind.allCases.allSatisfy { (point.perMillion($0) ?? 0) >= 0 },
                        "\(model.match): negative price"
                    ))
                for kind in TokenKind.allCases { point.perMillion(kind).map(Arithmetic.price) }
            }
        }
        for model in models {
            for instant in instants { _ = book.price(model: model, at: instant) }
        }
        return problems(rules)
    }

    static func check(_ book: TeamBook) -> [String] {
        let names = book.teams.map(\.name)
        var rules: [(Bool, String)] = [
            (Set(names).count == names.count, "team listed twice"),
            (!names.contains(TeamBook.unallocatedName), "a team is called \(TeamBook.unallocatedName)"),
        ]
        for rule in book.rules {
            switch rule.action {
            case .team(let team): rules.append((names.contains(team), "unknown team \(team)"))
            case .split(let parts):
                rules.append((parts.reduce(Decimal(0)) { $0 + $1.percent } == 100, "split does not sum to 100"))
                rules.append((parts.allSatisfy { names.contains($0.team) }, "split names an unknown team"))
                Arithmetic.shares(parts.map(\.percent), total: 100)
            case .shared(.weights(let weights)):
                rules.append((!weights.isEmpty && weights.values.allSatisfy { $0 > 0 }, "weights not positive"))
                Arithmetic.shares(Array(weights.values), total: weights.values.reduce(0, +))
            case .shared: break
            }
        }
        for model in models { _ = book.rule { $0 == "model" ? model : "kgateway-system/agentgateway1" } }
        for budget in book.teams.compactMap(\.monthlyBudget) { Arithmetic.budget(budget) }
        return problems(rules)
    }

    static func check(_ period: Period) -> [String] {
        guard period.start < period.end else { return ["period \(period.label) does not end after it starts"] }
        // The report's hour buckets and a budget scaled to the period come next.
        let buckets = Buckets(period: period)
        _ = BudgetScale.budget(monthly: 100, for: period)
        return problems([
            (buckets.hourCount > 0 && !buckets.days.isEmpty, "period \(period.label) has no hours"),
            (period.seconds <= 367 * 86400, "period \(period.label) is longer than a year"),
            (
                !period.label.isEmpty && !period.label.contains("/") && period.label != "." && period.label != "..",
                "label '\(period.label)' cannot be part of a file name"
            ),
        ])
    }

    /// A rejection must be the error users see: for the YAML files an ``InputError`` naming the
    /// file and (unless the bytes are not UTF-8) the line; for the flags an ``InputError``; for
    /// JSON a ``FetchError``.
    static func check(_ error: Error, from target: FuzzTarget) -> [String] {
        switch target {
        case .config, .pricing, .teams:
            guard let input = error as? InputError else { return ["not an InputError: \(error)"] }
            return problems([
                (input.file != nil, "no file in '\(input.message)'"),
                (input.line != nil || input.message.contains("UTF-8"), "no line in '\(input.message)'"),
            ])
        case .period:
            return error is InputError ? [] : ["not an InputError: \(error)"]
        case .invoiceFOCUS, .invoiceAnthropic, .invoiceOpenAI:
            guard let input = error as? InputError else { return ["not an InputError: \(error)"] }
            return problems([(input.file == "invoice", "no file in '\(input.message)'")])
        case .queryResponse:
            guard let fetch = error as? FetchError else { return ["not a FetchError: \(error)"] }
            return fetch.errorDescription?.isEmpty == false ? [] : ["FetchError without a description"]
        }
    }

    /// A parsed invoice: every line an interval forward in time, an upper-case currency, an amount
    /// the ledger can hold.
    static func check(_ invoice: Invoice) -> [String] {
        let limit = Decimal(sign: .plus, exponent: 15, significand: 1)
        return invoice.lines.flatMap { line in
            problems([
                (line.start <= line.end, "\(line.record): interval backwards"),
                (line.currency.count == 3 && line.currency == line.currency.uppercased(), "\(line.record): currency"),
                (line.amount.magnitude < limit, "\(line.record): amount \(line.amount) out of range"),
            ])
        }
    }

    private static func problems(_ rules: [(Bool, String)]) -> [String] {
        rules.filter { !$0.0 }.map(\.1)
    }

    /// The sums the report does with numbers from the files, on extreme usage: a number the
    /// parsers accept must not make them overflow (Decimal traps on overflow and underflow).
    enum Arithmetic {
        static let usages: [Decimal] = [Decimal(Int64.max), 1, Decimal(string: "0.000001")!]

        /// `Pricing` and the FOCUS unit price: tokens × the price per token (``Money/perToken(_:)``).
        static func price(_ perMillion: Decimal) {
            let perToken = Money.perToken(perMillion)
            for tokens in usages { _ = tokens * perToken }
        }

        /// `Allocation`: cost × share / total, and the tokens split by largest remainder.
        static func shares(_ parts: [Decimal], total: Decimal) {
            for cost in usages { for part in parts { _ = cost * part / total } }
            _ = Money.splitTokens(Int64.max, weights: parts)
            _ = Money.splitTokens(1, weights: parts)
        }

        /// `Budgets`: cost / budget × 100, for a budget scaled to a day.
        static func budget(_ monthly: Decimal) {
            for cost in usages { _ = cost / (monthly / 31) * 100 }
        }

        /// `Thresholds`: a warning at 80 %, hourly cost × 24 against it.
        static func threshold(_ threshold: Decimal) {
            _ = threshold * Decimal(string: "0.8")!
            for cost in usages { _ = cost * 24 > threshold }
        }
    }
}
