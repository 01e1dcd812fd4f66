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
    package static func newerBuilds(
        series: [(labels: [String: String], hourly: [Int64])], tags: [String: String],
        dimensions: UsageDimensions
    ) -> [UsageKey: [Bool?]] {
        var newer: [UsageKey: [Int64]] = [:]
        var older: [UsageKey: [Int64]] = [:]
        for (labels, hourly) in series {
            let key = dimensions.key(for: labels)
            guard key.tokenType == "input", let target = labels["pod"] ?? labels["instance"], let tag = tags[target],
                let after = isAfterWireFormatRule(tag)
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

    /// The last release whose `input` follows the upstream wire format; later builds include cache
    /// tokens in `input` for every provider (unless run with the legacy semantics switch).
    public static let lastWireFormatRelease = [1, 4, 1]

    /// Whether a build tag is after v1.4.1 (`v1.5.0`, `v1.4.2-rc.1`); `nil` when it is not a version.
    public static func isAfterWireFormatRule(_ tag: String) -> Bool? {
        let core = tag.drop { $0 == "v" }.prefix { $0.isNumber || $0 == "." }
        let parts = core.split(separator: ".").compactMap { Int($0) }
        guard parts.count >= 2 else { return nil }
        let padded = parts + Array(repeating: 0, count: max(0, 3 - parts.count))
        return padded.lexicographicallyPrecedes(lastWireFormatRelease) == false && padded != lastWireFormatRelease
    }
}
