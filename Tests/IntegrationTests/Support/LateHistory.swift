import ChargebackCore
import Foundation

/// Monitoring added to running gateways (issue 29): two gateways serve 10 input tokens a second
/// from 2026-10-01 00:00 UTC and are first scraped at 2026-10-14 12:00:30 (their first sample holds
/// 11,664,300 tokens), every 30 s until 2026-10-18 00:00; kube-state-metrics knows one of their
/// pods (`kube_pod_created` 2026-09-30 23:59:50), not the other. A third such gateway's pod has
/// both `kube_pod_created` and `kube_pod_start_time` (2026-10-01 00:00:00), which wins. A third gateway, scraped every
/// minute since 2026-09-28 at 2 tokens a second, gets a lazy series on 2026-10-15: a model first
/// asked at 09:00:15 (3,000 tokens, then 3,000 every two hours), on a target scraped all along.
/// Written into a Prometheus by ``RemoteWriter`` in time order, a day per request.
enum LateHistory {
    static let served = DateText.parseInstant("2026-10-01T00:00:00Z")!
    static let firstScrape = DateText.parseInstant("2026-10-14T12:00:30Z")!
    static let end = DateText.parseInstant("2026-10-18T00:00:00Z")!
    static let oldStart = DateText.parseInstant("2026-09-28T00:00:00Z")!
    static let created = DateText.parseInstant("2026-09-30T23:59:50Z")!
    static let started = DateText.parseInstant("2026-10-01T00:00:00Z")!
    static let lazyBirth = DateText.parseInstant("2026-10-15T09:00:15Z")!
    static let namespace = "agentgateway-system"
    /// The gateways: with a `kube_pod_created` series, without one, and the one scraped all along.
    static let known = "agentgateway-system/known"
    static let unknown = "agentgateway-system/unknown"
    static let startTime = "agentgateway-system/start-time"
    static let old = "agentgateway-system/old"
    static let sonnet = "claude-sonnet-4-5-20250929"
    static let haiku = "claude-3-5-haiku-20241022"

    /// Input tokens served in `[from, to)` by a late gateway.
    static func lateTokens(from: Date, to: Date) -> Int64 {
        let start = max(from, served)
        let stop = min(to, end)
        return stop > start ? Int64(stop.timeIntervalSince(start)) * 10 : 0
    }

    /// The lazy series' requests: times and tokens.
    static var lazyRequests: [(Date, Int64)] {
        stride(from: 0, to: 60, by: 1).map { (lazyBirth.addingTimeInterval(Double($0) * 7200), 3000) }
            .filter { $0.0 < end }
    }

    static func labels(gateway: String, pod: String, model: String) -> [String: String] {
        [
            "__name__": "agentgateway_gen_ai_client_token_usage_sum", "gateway": gateway,
            "gen_ai_request_model": model, "gen_ai_response_model": model, "gen_ai_token_type": "input",
            "gen_ai_system": "anthropic", "gen_ai_operation_name": "chat", "job": "agentgateway", "pod": pod,
            "namespace": namespace,
        ]
    }

    /// Writes the history.
    static func write(to url: String) async throws {
        var dayStart = oldStart
        while dayStart < end {
            let dayEnd = dayStart.addingTimeInterval(86400)
            var series: [RemoteWriter.Series] = []
            func add(
                _ labels: [String: String], every: TimeInterval, from: Date, phase: TimeInterval,
                value: (Date) -> Double
            ) {
                var times: [Date] = []
                var t = from.addingTimeInterval(phase)
                if t < dayStart {
                    t = t.addingTimeInterval((dayStart.timeIntervalSince(t) / every).rounded(.up) * every)
                }
                while t < dayEnd && t <= end {
                    times.append(t)
                    t = t.addingTimeInterval(every)
                }
                guard !times.isEmpty else { return }
                series.append(RemoteWriter.Series(labels: labels, floats: times.map { ($0.millis, value($0)) }))
            }
            let info = [
                "__name__": "agentgateway_build_info", "tag": "v1.5.0", "job": "agentgateway", "namespace": namespace,
            ]
            for (gateway, pod) in [(known, "known-0"), (unknown, "unknown-0"), (startTime, "start-time-0")] {
                add(labels(gateway: gateway, pod: pod, model: sonnet), every: 30, from: firstScrape, phase: 0) {
                    Double(lateTokens(from: served, to: $0))
                }
                add(info.merging(["pod": pod]) { $1 }, every: 30, from: firstScrape, phase: 0) { _ in 1 }
            }
            add(labels(gateway: old, pod: "old-0", model: sonnet), every: 60, from: oldStart, phase: 15) {
                Double(Int64($0.timeIntervalSince(oldStart)) * 2)
            }
            add(info.merging(["pod": "old-0"]) { $1 }, every: 60, from: oldStart, phase: 15) { _ in 1 }
            add(labels(gateway: old, pod: "old-0", model: haiku), every: 60, from: lazyBirth, phase: 60) { t in
                Double(lazyRequests.filter { $0.0 < t }.reduce(0) { $0 + $1.1 })
            }
            add(
                [
                    "__name__": "kube_pod_created", "namespace": namespace, "pod": "known-0", "uid": "7c1e",
                    "job": "kube-state-metrics",
                ], every: 60, from: served, phase: 5
            ) { _ in created.timeIntervalSince1970 }
            for metric in ["kube_pod_created", "kube_pod_start_time"] {
                add(
                    [
                        "__name__": metric, "namespace": namespace, "pod": "start-time-0", "uid": "9d2f",
                        "job": "kube-state-metrics",
                    ], every: 60, from: served, phase: 5
                ) { _ in (metric == "kube_pod_created" ? created : started).timeIntervalSince1970 }
            }
            try await RemoteWriter.send(series, to: url)
            dayStart = dayEnd
        }
    }
}
