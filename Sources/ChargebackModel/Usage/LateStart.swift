import Foundation

/// Monitoring added to a running gateway: a counter's first sample inside the period can hold
/// days of usage made before anything scraped it. Counting that value at its sample bills the
/// whole past in one hour; dropping it loses it from the month. The value accrued between the
/// counter's start and its first sample, so it is shared by time over that stretch, as a gap's
/// increase is (docs/numbers.md).
///
/// Which first values are a past: the series' own rate after its first sample (its increase over
/// the rest of the period, at least ``minimumSamplesOfEvidence`` scrape intervals of it) says how
/// long the first value took to make. A series born with its first request holds a scrape
/// interval's worth or little more and keeps today's exact rule (counted in its sample's hour); one
/// whose first value took at least ``minimumAgeMillis`` ran unseen. Its start is the pod's start
/// where kube-state-metrics tells it (`kube_pod_start_time`, else `kube_pod_created`), else the
/// first sample less that age, when the rate was read over at least ``minimumEvidenceMillis``;
/// with less, nothing says when it started and the value stays at its sample, with a warning.
public enum LateStart {
    /// A first value worth less than an hour of the series' own traffic is a first request's.
    static let minimumAgeMillis: Int64 = 3_600_000
    /// An estimated start rests on the rate over at least an hour after the first sample.
    static let minimumEvidenceMillis: Int64 = 3_600_000
    /// Whether a first value is a past is judged from the rate over at least this many scrape intervals.
    static let minimumSamplesOfEvidence: Int64 = 10

    /// A series' first sample counted from zero inside the period, and what it did after it.
    package struct FirstValue {
        package let identity: String
        package let labels: [String: String]
        package let millis: Int64
        let hour: Int
        let tokens: Int64
        /// The series' increase after its first sample, and the time it took (to its last sample in the period).
        let laterTokens: Int64
        let laterMillis: Int64
        /// A scrape interval and its slack (the gap factor's): a sample of the target this much
        /// before the first one shows the target was scraped already.
        package let slackMillis: Int64
        /// The series' scrape interval, when known.
        let intervalMillis: Int64?

        /// How long the first value took at the rate after it, ms, read over at least `evidence` ms.
        func age(evidence: Int64) -> Int64? {
            guard laterMillis >= evidence, laterMillis > 0, laterTokens > 0 else { return nil }
            return Int64((Double(tokens) * Double(laterMillis) / Double(laterTokens)).rounded())
        }

        /// The age an estimated start rests on; `nil` with less than ``LateStart/minimumEvidenceMillis``.
        var estimatedAgeMillis: Int64? { age(evidence: LateStart.minimumEvidenceMillis) }

        /// Whether the first value holds a past (see ``LateStart``).
        var isLate: Bool {
            let evidence = min(
                LateStart.minimumEvidenceMillis,
                LateStart.minimumSamplesOfEvidence * (intervalMillis ?? LateStart.minimumEvidenceMillis))
            return (age(evidence: evidence) ?? 0) >= LateStart.minimumAgeMillis
        }
    }

    /// Where a counter's start came from.
    public enum Source: String, Sendable {
        case podStartTime = "kube_pod_start_time"
        case podCreated = "kube_pod_created"
        case estimate = "estimated from the series' rate after its first sample"
    }

    /// A first value shared back to the counter's start.
    public struct Shared: Sendable, Equatable {
        public let series: String
        public let firstSample: Date
        public let tokens: Int64
        public let start: Date
        public let source: Source
    }

    /// Pod starts (ms) by `namespace/pod` and by bare `pod`, with their source.
    public typealias PodStarts = [String: (millis: Int64, source: Source)]

    /// The start of `first`'s counter: its pod's start when known and before the first sample,
    /// else the estimate.
    package static func start(of first: FirstValue, podStarts: PodStarts) -> (millis: Int64, source: Source)? {
        if let pod = first.labels["pod"], !pod.isEmpty,
            let known = podStarts["\(first.labels["namespace"] ?? "")/\(pod)"] ?? podStarts[pod],
            known.millis < first.millis
        {
            return known
        }
        return first.estimatedAgeMillis.map { (first.millis - $0, .estimate) }
    }

    /// The warning for first values that hold a past but were left at their sample: no pod start
    /// known and under an hour of traffic after them to estimate one.
    package static func unsharedWarning(_ firsts: [FirstValue], metric: String) -> Diagnostic? {
        guard !firsts.isEmpty else { return nil }
        let items = firsts.map {
            "\(metric)\($0.identity) first scraped at \(DateText.utc(Date(millis: $0.millis))) holding \($0.tokens) tokens"
        }
        return .warning(
            "\(firsts.count) counter(s) look as if they ran before they were first scraped, but no pod start is known "
                + "(kube-state-metrics' kube_pod_start_time or kube_pod_created) and less than an hour of traffic "
                + "after the first sample tells when they started: " + items.joined(separator: "; ")
                + ". Each first value is counted at its sample (in the period holding it); a report run when an "
                + "hour more is scraped shares it back by an estimated start")
    }

    /// The warning naming each series, its first value, the start used and where it came from.
    package static func warning(_ shared: [Shared], metric: String) -> Diagnostic? {
        guard !shared.isEmpty else { return nil }
        let items = shared.map {
            "\(metric)\($0.series) first scraped at \(DateText.utc($0.firstSample)) holding \($0.tokens) tokens, "
                + "shared from \(DateText.utc($0.start)) (\($0.source.rawValue))"
        }
        let estimated = shared.contains { $0.source == .estimate }
        return .warning(
            "\(shared.count) counter(s) ran before they were first scraped (monitoring added to a running gateway): "
                + items.joined(separator: "; ") + ". Each first value is shared by time between the counter's start "
                + "and its first sample instead of billed at the sample"
                + (estimated ? "; the figures of those hours rest on an estimated start" : ""))
    }
}
