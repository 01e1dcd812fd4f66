/// Relabelled targets: a series that starts where another of the same counter stopped, at or above
/// its last value, is that counter continuing under new scrape labels (a ServiceMonitor replaced by
/// a PodMonitor, a relabel rule edited), not a new counter counted from zero.
///
/// Two series are the same counter when all their labels but the scrape labels
/// (``scrapeLabels``: `instance`, `job`, `endpoint`, `service`) agree, the pod included.
enum CounterContinuation {
    /// Labels that say how a target was scraped, not what it counts.
    static let scrapeLabels: Set<String> = ["instance", "job", "endpoint", "service"]

    /// The counter a series reads: its labels without `__name__` and the scrape labels.
    static func counter(_ labels: [String: String]) -> String {
        UsageAccumulator.identity(labels.filter { !scrapeLabels.contains($0.key) })
    }

    /// The last sample of a series, when nothing later of it was seen.
    struct Ending {
        let series: String
        let counter: String
        let millis: Int64
        let value: Int64
        let typicalInterval: Int64?
    }

    /// The first sample of a series first seen inside the period, counted from zero.
    struct Beginning {
        let series: String
        let counter: String
        let millis: Int64
        let value: Int64
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
    /// before it whose last value it is not below.
    static func links(endings: [Ending], beginnings: [Beginning], gapFactor: Double) -> [Link] {
        var open = Dictionary(grouping: endings, by: \.counter)
        var links: [Link] = []
        for beginning in beginnings.sorted(by: { ($0.millis, $0.series) < ($1.millis, $1.series) }) {
            guard var candidates = open[beginning.counter] else { continue }
            let fits = candidates.indices.filter {
                let ending = candidates[$0]
                return ending.series != beginning.series && ending.millis < beginning.millis && ending.value <= beginning.value
            }
            guard let best = fits.max(by: { (candidates[$0].millis, candidates[$0].series) < (candidates[$1].millis, candidates[$1].series) })
            else { continue }
            let ending = candidates.remove(at: best)
            open[beginning.counter] = candidates
            let interval = beginning.millis - ending.millis
            links.append(Link(from: ending.series, to: beginning.series, fromMillis: ending.millis, toMillis: beginning.millis,
                              increase: beginning.value - ending.value, countedValue: beginning.value,
                              isGap: CounterTracker.isGap(interval, typical: ending.typicalInterval, gapFactor: gapFactor)))
        }
        return links
    }

    /// The change a link makes to the hourly increases: the first value counted from zero is taken
    /// back, and the increase over the old series' last value lands as an interval's would (at the
    /// new sample, or shared by time across a gap).
    static func corrections(_ link: Link, buckets: Buckets) -> [(Int, Int64)] {
        var changes: [(Int, Int64)] = []
        if let hour = buckets.hourIndex(millis: link.toMillis - 1) { changes.append((hour, -link.countedValue)) }
        if link.isGap {
            changes += Apportion.split(delta: link.increase, from: link.fromMillis, to: link.toMillis, buckets: buckets)
        } else if let hour = buckets.hourIndex(millis: link.toMillis - 1) {
            changes.append((hour, link.increase))
        }
        return changes
    }
}
