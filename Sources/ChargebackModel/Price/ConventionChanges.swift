import Foundation

/// Where the cache convention of an `input` key changes inside the period (an agentgateway upgrade
/// seen in `agentgateway_build_info`, or a rule's `from:` date): the report says when, and which
/// rule decided before and after, since such a period is priced hour by hour.
enum ConventionChanges {
    /// One warning per gateway and provider whose keys switch between a rule that says "includes"
    /// and one that says "excludes", naming the switch times (the start of the first hour under the
    /// new rule) and both rules; keys with the same switches share a warning.
    /// - Parameter decisions: per `input` key, the rule that decided each hour (`nil`: no tokens).
    static func diagnostics(_ decisions: [UsageKey: [CacheRule?]], buckets: Buckets) -> [Diagnostic] {
        var grouped: [String: (gateway: String, system: String, models: [String])] = [:]
        // In any order: each group's models are sorted, and the groups by their text.
        for (key, hours) in decisions {
            let runs = runs(hours)
            guard Set(runs.map(\.rule.includes)).count > 1 else { continue }
            var text = "input \(phrase(runs[0].rule)) until \(DateText.utc(buckets.hourStart(runs[1].firstHour)))"
            for (index, run) in runs.enumerated().dropFirst().prefix(4) {
                let switchTime = DateText.utc(buckets.hourStart(run.firstHour))
                text += index == 1 ? ", then \(phrase(run.rule))" : "; from \(switchTime) \(phrase(run.rule))"
            }
            if runs.count > 5 { text += "; and \(runs.count - 5) more switch(es)" }
            let id = "\(key.gateway)\u{0}\(key.system)\u{0}\(text)"
            grouped[id, default: (key.gateway, key.system, [])].models.append(key.model)
        }
        return grouped.keys.sorted().map { id in
            let group = grouped[id]!
            let text = id.split(separator: "\u{0}", omittingEmptySubsequences: false).last!
            return .warning(
                "\(group.gateway) (provider '\(group.system)', \(Set(group.models).sorted().joined(separator: ", "))): "
                    + "the cache convention changes in the period: \(text); each hour is priced with the rule in force")
        }
    }

    /// `excludes cache tokens (agentgateway v1.4.x default)`.
    private static func phrase(_ rule: CacheRule) -> String {
        "\(rule.includes ? "includes" : "excludes") cache tokens (\(rule.origin))"
    }

    /// Consecutive hours decided by rules with the same `includes`; hours without tokens join the run before.
    private static func runs(_ hours: [CacheRule?]) -> [(rule: CacheRule, firstHour: Int)] {
        var runs: [(rule: CacheRule, firstHour: Int)] = []
        for (hour, rule) in hours.enumerated() {
            guard let rule else { continue }
            if let last = runs.last, last.rule.includes == rule.includes { continue }
            runs.append((rule, hour))
        }
        return runs
    }
}
