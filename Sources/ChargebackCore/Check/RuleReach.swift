import ChargebackConfig
import ChargebackDeliver
import ChargebackMeasure
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation

/// Team rules that can never take usage. Rules are tried in file order and the first that
/// matches takes the usage, so a rule is dead when an earlier one matches everything it matches
/// (shadowed: found from the files alone), or when it takes none of the usage a backend holds
/// (idle: found by `validate --online`).
public enum RuleReach {
    /// A rule and the earlier rule that takes all it could match.
    public struct Shadowed: Sendable, Equatable {
        public let rule: TeamRule
        public let by: TeamRule
    }

    /// Every rule that an earlier rule shadows: the earlier one names no label the later does not
    /// and each of its globs matches whatever the later one's glob of that label can match.
    public static func shadowed(_ rules: [TeamRule]) -> [Shadowed] {
        rules.indices.compactMap { index in
            rules[..<index].first { $0.covers(rules[index]) }.map { Shadowed(rule: rules[index], by: $0) }
        }
    }

    /// The rules that take none of `usage` (each item a usage's attributes by rule key), leaving
    /// out the ``shadowed(_:)`` ones, which are named for that already.
    public static func idle(_ rules: [TeamRule], usage: [(String) -> String]) -> [TeamRule] {
        var taken = Set<Int>()
        for attributes in usage {
            if let index = rules.firstIndex(where: { $0.matches(attributes) }) { taken.insert(index) }
        }
        let shadowed = Set(shadowed(rules).map(\.rule.origin))
        return rules.indices.filter { !taken.contains($0) && !shadowed.contains(rules[$0].origin) }.map { rules[$0] }
    }

    /// The shadowed rules as warnings at their own line of the team file.
    public static func diagnostics(_ rules: [TeamRule], teamsFile: String) -> [Diagnostic] {
        shadowed(rules).map { found in
            Diagnostic(
                .warning,
                "this rule never takes usage: the earlier rule at \(found.by.origin) matches all it matches "
                    + "(\(found.by.matchText)) and comes first; move it above that rule or remove it",
                at: .file(teamsFile, line: found.rule.line))
        }
    }
}

extension TeamRule {
    /// Whether every usage `other` matches, this rule matches too.
    func covers(_ other: TeamRule) -> Bool {
        match.allSatisfy { key, glob in other.match[key].map { glob.covers($0) } ?? false }
    }

    /// The rule's line in its file, from its origin (`teams.yaml:12`).
    var line: Int? { origin.split(separator: ":").last.flatMap { Int($0) } }

    /// `gateway=agentgateway1, model=*`, or `everything` for a rule that matches all usage.
    var matchText: String {
        match.isEmpty
            ? "everything"
            : match.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                .joined(separator: ", ")
    }
}

extension Glob {
    /// Whether this pattern matches every text `other` matches: `*`, the same pattern, or a
    /// pattern without wildcards that this one matches. Other pairs are not compared (`false`).
    func covers(_ other: Glob) -> Bool {
        if pattern == "*" || pattern == other.pattern { return true }
        if other.pattern.contains(where: { "*?[\\".contains($0) }) { return false }
        return matches(other.pattern)
    }
}
