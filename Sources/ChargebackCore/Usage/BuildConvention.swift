/// Which of agentgateway's cache conventions each key-hour's `input` was counted under, from the
/// build each scrape target reports (`agentgateway_build_info{tag}`): builds after v1.4.1 count
/// cache tokens inside `input` for every provider; v1.4.1 and earlier follow the upstream wire
/// format (``CacheRules/agentgatewayDefaults``). A pod keeps its build for life (an upgrade
/// replaces pods), so a target's tag is its build in every hour.
public enum BuildConvention {
    /// Per `input` key and hour: `true` when most of the hour's tokens came from targets running a
    /// build after v1.4.1, `false` when most came from older builds, `nil` when the targets report
    /// no build.
    /// - Parameters:
    ///   - series: each series' labels and hourly tokens.
    ///   - tags: the build tag per scrape target (pod, else instance).
    static func newerBuilds(
        series: [(labels: [String: String], hourly: [Int64])], tags: [String: String],
        dimensions: UsageDimensions
    ) -> [UsageKey: [Bool?]] {
        var newer: [UsageKey: [Int64]] = [:]
        var older: [UsageKey: [Int64]] = [:]
        for (labels, hourly) in series {
            let key = dimensions.key(for: labels)
            guard key.tokenType == "input", let target = labels["pod"] ?? labels["instance"], let tag = tags[target],
                let after = OnlineHints.isAfterWireFormatRule(tag)
            else { continue }
            let empty = [Int64](repeating: 0, count: hourly.count)
            if after {
                newer[key] = zip(newer[key] ?? empty, hourly).map(+)
            } else {
                older[key] = zip(older[key] ?? empty, hourly).map(+)
            }
        }
        var result: [UsageKey: [Bool?]] = [:]
        for key in Set(newer.keys).union(older.keys) {
            let count = (newer[key] ?? older[key])!.count
            result[key] = (0..<count).map { hour in
                let (n, o) = (newer[key]?[hour] ?? 0, older[key]?[hour] ?? 0)
                return n == 0 && o == 0 ? nil : n > o
            }
        }
        return result
    }
}
