import Foundation

/// A period that ends before a late counter's first sample (``LateStart``): a gateway served during
/// the period but was first scraped after it, so the period holds none of its samples, yet part of
/// its first value accrued in it. The first value is found after the period (by the fetch) and the
/// period keeps its share of `[start, first sample)`, the same share a longer period holding the
/// first sample gives those hours.
extension LateStart {
    /// The first values of a target's counters read raw from its first sample on: each series whose
    /// first sample lies within a scrape interval (and its slack) of the target's first, with what it
    /// did after it. Series born later on the target began with a request, not a past.
    /// - Parameter series: label sets (no `__name__`) and samples in time order.
    package static func firstValues(
        ofTarget series: [([String: String], [(Int64, Double)])], gapFactor: Double
    ) -> [FirstValue] {
        let starts = series.compactMap { $0.1.first?.0 }
        guard let targetFirst = starts.min() else { return [] }
        return series.compactMap { labels, samples in
            guard let first = samples.first, first.1.isFinite, first.1 >= 0 else { return nil }
            let intervals = zip(samples.dropFirst(), samples).map { $0.0 - $1.0 }.sorted()
            let interval = intervals.isEmpty ? nil : intervals[intervals.count / 2]
            let slack = interval.map { Int64(Double($0) * gapFactor) } ?? CounterTracker.defaultGapMillis
            guard first.0 <= targetFirst + slack else { return nil }
            let value = FirstValue(
                identity: UsageAccumulator.identity(labels), labels: labels, millis: first.0, hour: -1,
                tokens: Int64(first.1.rounded()), laterTokens: increase(samples),
                laterMillis: (samples.last?.0 ?? first.0) - first.0, slackMillis: slack, intervalMillis: interval)
            return value.isLate ? value : nil
        }
    }

    /// A counter's increase over `samples`, a drop read as a reset from zero.
    static func increase(_ samples: [(Int64, Double)]) -> Int64 {
        var total = 0.0
        for (next, previous) in zip(samples.dropFirst(), samples) where next.1.isFinite && previous.1.isFinite {
            total += next.1 >= previous.1 ? next.1 - previous.1 : next.1
        }
        return Int64(total.rounded())
    }
}

extension UsageAccumulator {
    /// Records `shares` of `key` as resting on an estimated start.
    mutating func noteEstimated(_ shares: some Sequence<(Int, Int64)>, key: UsageKey) {
        for (hour, tokens) in shares where tokens > 0 {
            estimatedShares[key, default: Array(repeating: 0, count: buckets.hourCount)][hour] += tokens
        }
    }

    /// The series with a sample in the read range at or before some instant, their targets and
    /// the `pod` (or, without one, `instance`) values of those targets.
    package struct Sampled: Sendable {
        package var series = Set<String>()
        package var targets = Set<String>()
        package var pods = Set<String>()
        package var instances = Set<String>()
    }

    /// What was sampled at or before `millis`: a counter first scraped after it is none of it.
    package func sampled(upTo millis: Int64) -> Sampled {
        var sampled = Sampled()
        for (identity, tracked) in trackers {
            guard let from = span(of: tracked)?.0, from <= millis else { continue }
            sampled.series.insert(identity)
            sampled.targets.insert(tracked.target)
            if let pod = tracked.labels["pod"], !pod.isEmpty {
                sampled.pods.insert(pod)
            } else if let instance = tracked.labels["instance"], !instance.isEmpty {
                sampled.instances.insert(instance)
            }
        }
        return sampled
    }

    /// Adds the period's share of each first value found after the period (``LateStart``) over
    /// `[start, first sample)`; a start at or after the period's end leaves it nothing.
    package mutating func shareFirstValuesAfterPeriod(_ firsts: [LateStart.FirstValue], podStarts: LateStart.PodStarts)
        -> [LateStart.Shared]
    {
        firsts.compactMap { first -> LateStart.Shared? in
            guard let start = LateStart.start(of: first, podStarts: podStarts) else { return nil }
            let shares = Apportion.split(delta: first.tokens, from: start.millis, to: first.millis, buckets: buckets)
            guard !shares.isEmpty else { return nil }
            let key = dimensions.key(for: first.labels)
            let empty = Array(repeating: Int64(0), count: buckets.hourCount)
            for (hour, tokens) in shares {
                hourly[key, default: empty][hour] += tokens
                seriesHourly[first.identity, default: empty][hour] += tokens
            }
            if start.source == .estimate { noteEstimated(shares, key: key) }
            return LateStart.Shared(
                series: first.identity, firstSample: Date(millis: first.millis), tokens: first.tokens,
                start: Date(millis: start.millis), source: start.source)
        }
    }
}
