import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import Foundation

/// The starts of the pods whose counters ran before their first scrape (``LateStart``), from
/// kube-state-metrics as kube-prometheus-stack installs it: `kube_pod_start_time` (when the kubelet
/// started the pod), else `kube_pod_created`, both in seconds since 1970 and labelled `namespace`
/// and `pod`. Asked only when such a counter was found, so an ordinary run asks nothing more.
enum PodStartLookup {
    /// `firsts` less those whose target `buildInfo` (agentgateway's build info, exported from the
    /// process start) shows scraped before their first sample: such a series was born on a
    /// scraped target, with its first request.
    static func unscrapedBefore(
        _ firsts: [LateStart.FirstValue], buildInfo: String, client: any MetricsBackend, from: Date
    ) async throws -> ([LateStart.FirstValue], [QueryRecord]) {
        var kept: [LateStart.FirstValue] = []
        var records: [QueryRecord] = []
        for first in firsts {
            guard let pod = first.labels["pod"], !pod.isEmpty else {
                kept.append(first)
                continue
            }
            let at = Date(millis: first.millis - first.slackMillis)
            guard at > from else {
                kept.append(first)
                continue
            }
            let selector = RawSpans.adding("pod=" + PromQLLiteral.string(pod), to: buildInfo)
            let promql = "count_over_time(\(selector)[\(at.millis - from.millis)ms])"
            let result = try await client.query(promql, at: at)
            records.append(
                QueryRecord(
                    endpoint: "/api/v1/query", promql: promql, time: at, windowStart: from, windowEnd: at,
                    series: result.series.count, samples: result.series.count))
            if result.series.isEmpty { kept.append(first) }
        }
        return (kept, records)
    }

    /// The earliest value of each metric per pod of `firsts` in `[from, to]`, by `namespace/pod`
    /// and by `pod`, and the queries made.
    static func starts(for firsts: [LateStart.FirstValue], client: any MetricsBackend, from: Date, to: Date)
        async throws -> (LateStart.PodStarts, [QueryRecord])
    {
        let pods = Set(firsts.compactMap { $0.labels["pod"] }.filter { !$0.isEmpty }).sorted()
        guard !pods.isEmpty else { return ([:], []) }
        let matcher = "pod=~" + PromQLLiteral.string(PromQLLiteral.alternation(pods.map(PromQLLiteral.literalRegex)))
        let range = "[\(max(1, to.millis - from.millis))ms]"
        var starts: LateStart.PodStarts = [:]
        var records: [QueryRecord] = []
        // The preferred source last, so it overwrites.
        for source in [LateStart.Source.podCreated, .podStartTime] {
            let promql = "min by (namespace, pod) (min_over_time(\(source.rawValue){\(matcher)}\(range)))"
            let result = try await client.query(promql, at: to)
            records.append(
                QueryRecord(
                    endpoint: "/api/v1/query", promql: promql, time: to, windowStart: from, windowEnd: to,
                    series: result.series.count, samples: result.series.count))
            for series in result.series {
                guard let pod = series.labels["pod"], let seconds = series.samples.first?.1, seconds.isFinite,
                    seconds > 0
                else { continue }
                let start = (millis: Int64((seconds * 1000).rounded()), source: source)
                starts["\(series.labels["namespace"] ?? "")/\(pod)"] = start
                starts[pod] = start
            }
        }
        return (starts, records)
    }
}
