/// Relabelled targets: a series that starts where another of the same counter stopped, at or above
/// its last value, is that counter continuing under new scrape labels (a ServiceMonitor replaced by
/// a PodMonitor, a relabel rule edited), not a new counter counted from zero.
///
/// Two series are the same counter when they name a pod and all their labels but the scrape labels
/// (``scrapeLabels``: `instance`, `job`, `endpoint`, `service`) agree, the pod included. Without a
/// pod label the instance may be all that tells two processes apart, so such a series is only ever
/// itself.
package enum CounterContinuation {
    /// Labels that say how a target was scraped, not what it counts.
    static let scrapeLabels: Set<String> = ["instance", "job", "endpoint", "service"]

    /// The counter a series reads: its labels without `__name__` and the scrape labels (all of them
    /// when it names no pod).
    package static func counter(_ labels: [String: String]) -> String {
        UsageAccumulator.identity(labels, keeping: keeps(labels))
    }

    /// Which labels of a series with `labels` its ``counter(_:)`` keeps: all but the histogram
    /// kind tag, and with a pod, not the ``scrapeLabels``.
    static func keeps(_ labels: [String: String]) -> (String) -> Bool {
        let hasPod = labels["pod"]?.isEmpty == false
        return { $0 != HistogramKind.label && !(hasPod && scrapeLabels.contains($0)) }
    }

    /// The last sample of a series, when nothing later of it was seen.
    struct Ending {
        let series: String
        let counter: String
        let millis: Int64
        let value: Int64
        let typicalInterval: Int64?
    }

    /// The first sample read of a series, and what it was counted with from zero (0 when it was
    /// not: before or after the period).
    struct Beginning {
        let series: String
        let counter: String
        let millis: Int64
        let value: Int64
        let counted: Int64
    }

    /// When a series is known to have had data, from its first to its last sample or summed hour read.
    struct Activity {
        let series: String
        let counter: String
        let from: Int64
        let to: Int64
    }

    /// A beginning that continues an ending.
    struct Link: Equatable {
        let from: String
        let to: String
        /// Last sample of the old series and first of the new, ms, and the increase between them.
        let fromMillis: Int64
        let toMillis: Int64
        let increase: Int64
        /// The value the new series' first sample was counted with from zero.
        let countedValue: Int64
        let isGap: Bool
    }

    /// Pairs each beginning, earliest first, with the latest unclaimed ending of the same counter
    /// before it whose last value it is not below, unless a third series of the counter had data
    /// in between (then the series that really ended there was not read, and nothing is linked).
    static func links(endings: [Ending], beginnings: [Beginning], activity: [Activity], gapFactor: Double) -> [Link] {
        var open = Dictionary(grouping: endings, by: \.counter)
        let active = Dictionary(grouping: activity, by: \.counter)
        var links: [Link] = []
        for beginning in beginnings.sorted(by: { ($0.millis, $0.series) < ($1.millis, $1.series) }) {
            guard var candidates = open[beginning.counter] else { continue }
            let fits = candidates.indices.filter {
                let ending = candidates[$0]
                return ending.series != beginning.series && ending.millis < beginning.millis
                    && ending.value <= beginning.value
            }
            guard
                let best = fits.max(by: {
                    (candidates[$0].millis, candidates[$0].series) < (candidates[$1].millis, candidates[$1].series)
                })
            else { continue }
            let ending = candidates[best]
            let between = active[beginning.counter, default: []].contains {
                $0.series != ending.series && $0.series != beginning.series && $0.from < beginning.millis
                    && $0.to > ending.millis
            }
            if between { continue }
            candidates.remove(at: best)
            open[beginning.counter] = candidates
            let interval = beginning.millis - ending.millis
            links.append(
                Link(
                    from: ending.series, to: beginning.series, fromMillis: ending.millis, toMillis: beginning.millis,
                    increase: beginning.value - ending.value, countedValue: beginning.counted,
                    isGap: CounterTracker.isGap(interval, typical: ending.typicalInterval, gapFactor: gapFactor)))
        }
        return links
    }

    /// The change a link makes to the hourly increases: the first value counted from zero is taken
    /// back, and the increase over the old series' last value lands as an interval's would (at the
    /// new sample, or shared by time across a gap).
    static func corrections(_ link: Link, buckets: Buckets) -> [(Int, Int64)] {
        var changes: [(Int, Int64)] = []
        if link.countedValue > 0, let hour = buckets.hourIndex(millis: link.toMillis - 1) {
            changes.append((hour, -link.countedValue))
        }
        if link.isGap {
            changes += Apportion.split(delta: link.increase, from: link.fromMillis, to: link.toMillis, buckets: buckets)
        } else if let hour = buckets.hourIndex(millis: link.toMillis - 1) {
            changes.append((hour, link.increase))
        }
        return changes
    }
}
