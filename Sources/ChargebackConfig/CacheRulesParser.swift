import ChargebackModel
import Foundation

/// Reads `metrics.input_includes_cache`: a list of `{ match, from, includes }` rules, or the
/// older map by provider (`{ anthropic: false, openai: true, default: true }`), which becomes one
/// rule per provider in file order and, for `default`, a last rule that matches everything.
package enum CacheRulesParser {
    package static func parse(_ node: YAMLValue) throws -> CacheRules {
        if case .mapping = node.node { return try parseMap(node) }
        // `auto`: no rules of one's own; agentgateway's convention for each target's build decides.
        if case .scalar = node.node {
            guard try node.string() == "auto" else {
                throw node.error("expected a list of rules, a map by provider, or auto")
            }
            return CacheRules()
        }
        var rules: [CacheRule] = []
        for item in try node.items() {
            try item.allowKeys(["match", "from", "includes"])
            var match: [String: Glob] = [:]
            if let matchNode = try item.optional("match") {
                for (key, value) in try matchNode.entries() {
                    guard PromQLText.isLabelName(key) else { throw value.error("'\(key)' is not a label name") }
                    match[key] = Glob(try value.string())
                }
            }
            var from: Date?
            if let fromNode = try item.optional("from") {
                let text = try fromNode.string()
                guard let date = DateText.parseDateOrInstant(text, in: TimeZone(identifier: "UTC")!) else {
                    throw fromNode.error("expected a date like 2026-11-15 or an RFC 3339 time, found '\(text)'")
                }
                from = date
            }
            let includes = try item.required("includes").bool()
            rules.append(
                CacheRule(
                    match: match, from: from, includes: includes, origin: origin(item),
                    location: location(item)))
        }
        return CacheRules(rules)
    }

    private static func parseMap(_ node: YAMLValue) throws -> CacheRules {
        var rules: [CacheRule] = []
        var fallback: CacheRule?
        for (system, value) in try node.entries() {
            let includes = try value.bool()
            if system == "default" {
                fallback = CacheRule(match: [:], includes: includes, origin: origin(value), location: location(value))
            } else {
                rules.append(
                    CacheRule(
                        match: ["system": Glob(system)], includes: includes, origin: origin(value),
                        location: location(value)))
            }
        }
        return CacheRules(rules + (fallback.map { [$0] } ?? []))
    }

    /// `chargeback.yaml:31`: the file's name and the rule's line.
    private static func origin(_ value: YAMLValue) -> String {
        let name = URL(fileURLWithPath: value.file).lastPathComponent
        return name + (value.node.mark.map { ":\($0.line)" } ?? "")
    }

    private static func location(_ value: YAMLValue) -> Diagnostic.Location {
        .file(value.file, line: value.node.mark?.line, column: value.node.mark?.column)
    }
}
