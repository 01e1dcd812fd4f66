import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import Foundation

/// What `validate --online` tells beyond the files' gaps: the agentgateway versions it sees (from
/// `agentgateway_build_info{tag}` per scrape target), the cache convention it will apply per
/// provider, and, when the configured selector or labels match nothing, what would.
public enum OnlineHints {
    /// The build info metric agentgateway registers (`build` info, `tag` label).
    static let buildInfo = "agentgateway_build_info"

    /// Build tags seen in the window, each with the scrape targets (pod, else instance) reporting it.
    package static func versions(config: ChargebackConfig, client: any MetricsBackend, from: Date, to: Date)
        async throws
        -> [String: Set<String>]
    {
        let found = try await client.series(config.metrics.selector(for: buildInfo), start: from, end: to)
        var tags: [String: Set<String>] = [:]
        for labels in found {
            tags[printable(labels["tag"] ?? ""), default: []].insert(
                printable(labels["pod"] ?? labels["instance"] ?? ""))
        }
        return tags
    }

    /// Label text as it may go to a terminal: control characters become `?`.
    package static func printable(_ text: String) -> String {
        String(
            String.UnicodeScalarView(text.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : $0 }))
    }

    /// How `input` is read now for the usage seen, as `validate --online` prints it: per provider,
    /// whether `input` includes cache tokens, by which rule, and on which builds; and a warning per
    /// configured rule that says "excludes" for usage from builds after v1.4.1 (which count cache
    /// tokens inside `input` for every provider unless run with the legacy switch).
    /// - Parameters:
    ///   - labelSets: the token series seen.
    ///   - versions: build tags with their targets (pod, else instance), as ``versions(config:client:from:to:)``.
    package static func conventions(
        config: ChargebackConfig, labelSets: [[String: String]], versions: [String: [String]], now: Date
    ) -> (lines: [String], warnings: [String]) {
        let dimensions = config.dimensions
        let rules = config.metrics.inputIncludesCache
        var tagOf: [String: String] = [:]
        for (tag, targets) in versions { for target in targets { tagOf[target] = tag } }
        var builds: [String: Set<String>] = [:]
        var conflicts: [String: Set<String>] = [:]
        for labels in labelSets {
            let key = dimensions.key(for: labels)
            var rule = rules.rule(for: { dimensions.value(of: $0, in: key) }, at: now)
            let tag = (labels["pod"] ?? labels["instance"]).flatMap { tagOf[printable($0)] }
            let newer = tag.flatMap(BuildConvention.isAfterWireFormatRule) == true
            // As Pricing does: a build after v1.4.1 replaces only a built-in v1.4.x default.
            if newer, CacheRules.agentgatewayDefaults.contains(rule) { rule = CacheRules.agentgatewayAfterV141 }
            let system = key.system.isEmpty ? "(no \(config.metrics.labels.system) label)" : printable(key.system)
            let line = "\(system): input \(rule.includes ? "includes" : "excludes") cache tokens (\(rule.origin))"
            builds[line, default: []].formUnion(tag.map { [$0.isEmpty ? "(no tag)" : $0] } ?? [])
            if newer, !rule.includes, let tag {
                conflicts["the rule \(rule.description) says \(system)'s input excludes cache tokens", default: []]
                    .insert(tag)
            }
        }
        let lines = builds.keys.sorted().map { line in
            builds[line]!.isEmpty ? line : "\(line) on \(builds[line]!.sorted().joined(separator: ", "))"
        }
        let warnings = conflicts.keys.sorted().map { what in
            "agentgateway \(conflicts[what]!.sorted().joined(separator: ", ")) counts cache tokens inside input for "
                + "every provider (unless run with AGENTGATEWAY_LEGACY_LLM_USAGE_TOKEN_SEMANTICS=true), but \(what); "
                + "give that rule a from: date before the upgrade's, or add `- { from: <upgrade time>, includes: true }` "
                + "before it under metrics.input_includes_cache"
        }
        return (lines, warnings)
    }

    /// When the configured selector matches nothing: what the token metric has without it (its
    /// namespaces), as a `metrics.selector` to use; `nil` when it has nothing without it either.
    package static func selectorSuggestion(config: ChargebackConfig, client: any MetricsBackend, from: Date, to: Date)
        async throws -> String?
    {
        guard !config.metrics.selector.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        let all = try await client.series(config.metrics.tokens, start: from, end: to)
        guard !all.isEmpty else { return nil }
        let namespaces = Set(all.compactMap { $0["namespace"] }).sorted()
        let suggestion =
            namespaces.count == 1
            ? "'{namespace=\"\(namespaces[0])\"}'"
            : namespaces.isEmpty
                ? "'' (empty: every series)" : "'{namespace=~\"\(namespaces.joined(separator: "|"))\"}'"
        return "metrics.selector '\(config.metrics.selector)' matches none of the \(all.count) series of "
            + "\(config.metrics.tokens); "
            + (namespaces.isEmpty
                ? ""
                : "they are in namespace(s) "
                    + namespaces.joined(separator: ", ") + "; ") + "try selector: \(suggestion)"
    }

    /// Label names to use instead of configured ones that no series carries: for `gateway`, the
    /// labels agentgateway and the Gateway API operators put there; otherwise nothing.
    package static func labelSuggestions(config: ChargebackConfig, labelSets: [[String: String]]) -> [String] {
        let names = Set(labelSets.flatMap(\.keys))
        let labels = config.metrics.labels
        var hints: [String] = []
        if !names.contains(labels.gateway) {
            let candidates = ["gateway", "gateway_networking_k8s_io_gateway_name", "gateway_name"].filter(
                names.contains)
            let values =
                candidates.first.map { name in Set(labelSets.compactMap { $0[name] }).sorted().prefix(3) } ?? []
            hints.append(
                "metrics.labels.gateway '\(labels.gateway)' is on none of the series"
                    + (candidates.isEmpty
                        ? ""
                        : "; they carry \(candidates.joined(separator: ", ")) (e.g. "
                            + values.joined(separator: ", ") + "): try gateway: \(candidates[0])"))
        }
        for (role, name) in [("model", labels.model), ("token_type", labels.tokenType), ("system", labels.system)]
        where !names.contains(name) {
            let known = [
                "model": "gen_ai_request_model", "token_type": "gen_ai_token_type", "system": "gen_ai_system",
            ][role]!
            hints.append(
                "metrics.labels.\(role) '\(name)' is on none of the series"
                    + (names.contains(known) ? "; agentgateway's is \(known)" : ""))
        }
        return hints
    }
}
