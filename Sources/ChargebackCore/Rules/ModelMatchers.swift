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
        let prefixA = literalPrefix(a.pattern), prefixB = literalPrefix(b.pattern)
        return !prefixA.hasPrefix(prefixB) && !prefixB.hasPrefix(prefixA)
    }

    private static func hasWildcard(_ pattern: String) -> Bool { pattern.contains { "*?[\\".contains($0) } }

    private static func literalPrefix(_ pattern: String) -> String { String(pattern.prefix { !"*?[\\".contains($0) }) }
}

/// Which providers' `input` counter already includes the cache tokens, as matchers on the
/// provider label (`metrics.input_includes_cache`, with its `default`).
struct CacheConvention {
    /// Matchers for the providers whose `input` includes cache tokens; `nil` when there are none.
    let including: [LabelMatcher]?
    /// Matchers for the providers whose `input` excludes them; `nil` when there are none.
    let excluding: [LabelMatcher]?

    init(metrics: MetricSettings) {
        let label = metrics.labels.system
        let different = metrics.inputIncludesCache.filter { $0.value != metrics.inputIncludesCacheDefault }.keys.sorted()
        let regex = PromQLLiteral.alternation(different.map(PromQLLiteral.literalRegex))
        let exceptions = different.isEmpty ? nil : [LabelMatcher(label, .matches, regex)]
        let rest = different.isEmpty ? [] : [LabelMatcher(label, .notMatches, regex)]
        if metrics.inputIncludesCacheDefault {
            including = rest
            excluding = exceptions
        } else {
            including = exceptions
            excluding = rest
        }
    }
}
