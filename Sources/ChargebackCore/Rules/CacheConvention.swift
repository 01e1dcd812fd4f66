import ChargebackConfig
import ChargebackDeliver
import ChargebackMeasure
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation

/// The cache rules in force at one instant as matchers on the provider label, for the recording
/// rules: first match wins, as in reports. A rule that also matches on other labels (a model, a
/// route) cannot be followed by a provider matcher: it is left out with a diagnostic, so the usage
/// it matches follows the next rule that looks at the provider only (a note, shown with `--verbose`).
struct CacheConvention {
    /// Alternative matcher sets selecting the usage whose `input` includes cache tokens.
    let including: [[LabelMatcher]]
    /// Alternative matcher sets selecting the usage whose `input` excludes them.
    let excluding: [[LabelMatcher]]
    /// One per rule approximated by provider.
    let diagnostics: [Diagnostic]

    init(rules: CacheRules, systemLabel label: String, at: Date) {
        var ordered: [(regex: String, includes: Bool)] = []
        var fallback = true
        var diagnostics: [Diagnostic] = []
        for rule in rules.effective where rule.inForce(at: at) {
            let keys = rule.match.keys.sorted()
            if keys.isEmpty {
                fallback = rule.includes
                break
            }
            guard keys == ["system"] else {
                let message =
                    "the recording rules approximate the cache rule \(rule.description) by provider: they "
                    + "cannot follow its match on \(keys.filter { $0 != "system" }.joined(separator: ", ")), so the "
                    + "usage it matches follows the next rule on the provider alone"
                // A note: the starter file's own Vertex Claude rule is one, and `rules` prints warnings by default.
                diagnostics.append(.note(message, at: rule.location))
                continue
            }
            ordered.append((PromQLLiteral.regex(fromGlob: rule.match["system"]!.pattern), rule.includes))
        }
        // Rules just before the fallback that agree with it change nothing.
        while let last = ordered.last, last.includes == fallback { ordered.removeLast() }
        // Consecutive rules that agree form one alternation.
        var groups: [(regexes: [String], includes: Bool)] = []
        for item in ordered {
            if let last = groups.indices.last, groups[last].includes == item.includes {
                groups[last].regexes.append(item.regex)
            } else {
                groups.append(([item.regex], item.includes))
            }
        }
        var including: [[LabelMatcher]] = []
        var excluding: [[LabelMatcher]] = []
        var earlier: [String] = []
        for group in groups {
            var matchers = [LabelMatcher(label, .matches, PromQLLiteral.alternation(group.regexes))]
            if !earlier.isEmpty {
                matchers.append(LabelMatcher(label, .notMatches, PromQLLiteral.alternation(earlier)))
            }
            earlier += group.regexes
            if group.includes { including.append(matchers) } else { excluding.append(matchers) }
        }
        let rest = earlier.isEmpty ? [] : [LabelMatcher(label, .notMatches, PromQLLiteral.alternation(earlier))]
        if fallback { including.append(rest) } else { excluding.append(rest) }
        self.including = including
        self.excluding = excluding
        self.diagnostics = diagnostics
    }
}
