/// Double scrapes: one counter of one target read as two or more series at the same time, because
/// a ServiceMonitor and a PodMonitor both select the gateway, or a querier without deduplication
/// answers for an HA pair. The copies differ only in how they were scraped (`job`, `endpoint`,
/// `service`, `prometheus_replica`, and `metrics.dedupe_labels`), their samples a little in time
/// and value. Counted once: per hour, the copy with the most samples overall, unless another copy
/// has clearly more samples in that hour (a gap of the first filled from the second).
///
/// Only copies whose samples overlap in time are one counter seen twice; a copy that begins after
/// another ended is the counter continuing under new labels (``CounterContinuation``).
public enum DoubleScrape {
    /// Labels that tell copies of one scraped counter apart, without saying what it counts.
    public static let scrapeLabels: Set<String> = ["job", "endpoint", "service", "prometheus_replica"]

    /// The counter of one target a series reads: its labels without the scrape labels and `extra`.
    static func counter(_ labels: [String: String], extra: [String]) -> String {
        UsageAccumulator.identity(labels, keeping: keeps(extra: extra))
    }

    /// Which labels ``counter(_:extra:)`` keeps: all but the ``scrapeLabels``, `extra` and the
    /// histogram kind tag.
    static func keeps(extra: [String]) -> (String) -> Bool {
        let drop = scrapeLabels.union(extra).union([HistogramKind.label])
        return { !drop.contains($0) }
    }

    /// One series as the resolution needs it.
    struct Copy {
        let series: String
        let counter: String
        let labels: [String: String]
        /// First and last instants with data, ms.
        let from: Int64
        let to: Int64
        /// Samples per period hour.
        let samples: [Int]
    }

    /// Copies found to be one counter, and which copy each hour was taken from.
    public struct Group: Sendable, Equatable {
        /// The copies' identities, sorted.
        public let series: [String]
        /// The label names whose values differ between the copies, sorted.
        public let differing: [String]
        /// Per hour, the index in ``series`` of the copy counted.
        package let chosen: [Int]
    }

    /// The groups of concurrent copies among `copies`, each with the copy counted per hour.
    static func groups(_ copies: [Copy], hours: Int) -> [Group] {
        var result: [Group] = []
        for (_, members) in Dictionary(grouping: copies, by: \.counter) where members.count > 1 {
            for cluster in overlapping(members) where cluster.count > 1 {
                let sorted = cluster.sorted { $0.series < $1.series }
                let totals = sorted.map { $0.samples.reduce(0, +) }
                let primary = totals.indices.max { (totals[$0], -$0) < (totals[$1], -$1) }!
                // Copies scraped at their own moments hold a sample more or less in an hour; the
                // best-covered copy is left only where it lacks a tenth of another's samples.
                let chosen = (0..<hours).map { hour in
                    let best = sorted.indices.max { (sorted[$0].samples[hour], -$0) < (sorted[$1].samples[hour], -$1) }!
                    return sorted[primary].samples[hour] * 10 >= sorted[best].samples[hour] * 9 ? primary : best
                }
                let names = Set(sorted.flatMap { $0.labels.keys })
                let differing = names.filter { name in Set(sorted.map { $0.labels[name] ?? "" }).count > 1 }.sorted()
                result.append(Group(series: sorted.map(\.series), differing: differing, chosen: chosen))
            }
        }
        return result.sorted { $0.series.lexicographicallyPrecedes($1.series) }
    }

    /// Splits copies into clusters whose time spans overlap (chained).
    private static func overlapping(_ copies: [Copy]) -> [[Copy]] {
        var clusters: [[Copy]] = []
        var end = Int64.min
        for copy in copies.sorted(by: { ($0.from, $0.series) < ($1.from, $1.series) }) {
            if copy.from < end, !clusters.isEmpty {
                clusters[clusters.count - 1].append(copy)
            } else {
                clusters.append([copy])
            }
            end = max(end, copy.to)
        }
        return clusters
    }

    /// The warning for the groups found, naming the labels in which copies differed.
    public static func warning(_ groups: [Group]) -> Diagnostic? {
        guard let first = groups.first else { return nil }
        let labels = Set(groups.flatMap(\.differing)).sorted().joined(separator: ", ")
        return .warning(
            "\(groups.count) counter(s) were scraped more than once at the same time (the copies differ only "
                + "in \(labels); e.g. \(first.series.joined(separator: " and "))): each is counted once, per hour from the "
                + "copy with the most samples; select one scrape job in metrics.selector to read one copy")
    }
}
