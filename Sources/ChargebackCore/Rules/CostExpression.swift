import ChargebackConfig
import ChargebackDeliver
import ChargebackMeasure
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation

/// The PromQL of the cost detail rule: every token count of a window times the price in force.
///
/// One term per price-book entry and token kind, joined with `or` (the terms select disjoint
/// series). Prices are USD per million tokens, written as the decimal text of the price book.
/// Where a provider's `input` includes cache tokens, the same gateway's and model's
/// `input_cache_read` and `input_cache_write` are subtracted from it before it is priced, as
/// reports do, so no token is billed twice.
struct CostExpression {
    let book: PriceBook
    let at: Date
    let metrics: MetricSettings

    private var labels: LabelNames { metrics.labels }

    /// The expression over `source`, and the price entries that have no price at `at`.
    func build(source: TokenSource) throws -> (expr: String, unpriced: [String]) {
        let models = ModelMatchers(book: book, modelLabel: labels.model)
        let cache = CacheConvention(rules: metrics.inputIncludesCache, systemLabel: labels.system, at: at)
        var terms: [String] = []
        var unpriced: [String] = []
        for (index, entry) in book.models.enumerated() {
            guard let point = entry.price(at: at) else {
                unpriced.append(entry.match.pattern)
                continue
            }
            let model = models.matchers(forEntry: index)
            var entryTerms: [String] = []
            for kind in TokenKind.allCases {
                guard let price = point.perMillion(kind) else { continue }
                let tokens =
                    kind == .input
                    ? try billableInput(model: model, cache: cache, source: source)
                    : try source.tokens([typeMatcher(kind.tokenTypes)] + model)
                entryTerms.append("\(tokens) * \(try PromQLLiteral.number(price)) / 1000000")
            }
            guard !entryTerms.isEmpty else { continue }
            let comment =
                "# \(Self.commentSafe(entry.match.pattern)): USD per million tokens since \(DateText.priceStart(point.from))"
            terms.append(comment + "\n" + entryTerms.joined(separator: "\nor\n"))
        }
        // No price at all: an empty vector of the right shape, so the rules still load.
        let expr = terms.isEmpty ? "\(try source.tokens([])) * 0" : terms.joined(separator: "\nor\n")
        return (expr, unpriced)
    }

    /// The `input` tokens to bill: with the cache tokens subtracted for providers whose `input`
    /// includes them (never below zero), as they are for the others. `group_left` keeps the token
    /// type label on the difference (a plain `on (…)` match would drop it), so `or` falls back to the
    /// gross count only where no cache series exists.
    private func billableInput(model: [LabelMatcher], cache: CacheConvention, source: TokenSource) throws -> String {
        let input = LabelMatcher(labels.tokenType, .equal, "input")
        var parts: [String] = []
        for including in cache.including {
            let gross = try source.tokens([input] + model + including)
            let cached = try source.tokens(
                [typeMatcher(["input_cache_read", "input_cache_write"])] + model + including)
            let keys = [labels.gateway, labels.model, labels.system].joined(separator: ", ")
            parts.append(
                """
                clamp_min(
                    \(gross)
                    - on (\(keys)) group_left sum by (\(keys)) (\(cached))
                    or \(gross),
                    0
                  )
                """)
        }
        for excluding in cache.excluding {
            parts.append(try source.tokens([input] + model + excluding))
        }
        return "(\n  " + parts.joined(separator: "\n  or ") + "\n)"
    }

    private func typeMatcher(_ values: [String]) -> LabelMatcher {
        values.count == 1
            ? LabelMatcher(labels.tokenType, .equal, values[0])
            : LabelMatcher(
                labels.tokenType, .matches, PromQLLiteral.alternation(values.map(PromQLLiteral.literalRegex)))
    }

    /// Text for a PromQL `#` comment: one line, control characters replaced.
    static func commentSafe(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) })
    }
}
