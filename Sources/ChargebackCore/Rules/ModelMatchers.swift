import ChargebackConfig
import ChargebackDeliver
import ChargebackMeasure
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation

/// Model-label matchers that reproduce the price book's "first matching entry wins" in PromQL.
///
/// Each entry's glob becomes an anchored regex; an entry also excludes, with `!~`, every earlier
/// entry it may share a model with. Entries that provably share none (different literal
/// prefixes, or a literal name the other glob does not match) are not excluded, to keep the
/// rules readable.
struct ModelMatchers {
    let book: PriceBook
    let modelLabel: String

    /// The matchers selecting the models that entry `index` prices.
    func matchers(forEntry index: Int) -> [LabelMatcher] {
        let entry = book.models[index]
        var matchers = [LabelMatcher(modelLabel, .matches, PromQLLiteral.regex(fromGlob: entry.match.pattern))]
        let earlier = book.models[..<index].filter { !Self.disjoint($0.match, entry.match) }
        if !earlier.isEmpty {
            let regexes = earlier.map { PromQLLiteral.regex(fromGlob: $0.match.pattern) }
            matchers.append(LabelMatcher(modelLabel, .notMatches, PromQLLiteral.alternation(regexes)))
        }
        return matchers
    }

    /// Whether no model name can match both globs (`false` when unsure).
    static func disjoint(_ a: Glob, _ b: Glob) -> Bool {
        if !hasWildcard(a.pattern) { return !b.matches(a.pattern) }
        if !hasWildcard(b.pattern) { return !a.matches(b.pattern) }
        let prefixA = literalPrefix(a.pattern)
        let prefixB = literalPrefix(b.pattern)
        return !prefixA.hasPrefix(prefixB) && !prefixB.hasPrefix(prefixA)
    }

    private static func hasWildcard(_ pattern: String) -> Bool { pattern.contains { "*?[\\".contains($0) } }

    private static func literalPrefix(_ pattern: String) -> String { String(pattern.prefix { !"*?[\\".contains($0) }) }
}
