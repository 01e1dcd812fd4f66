import Foundation

/// What a ``UsageAccumulator`` has measured: the hourly usage per key, per series, the counters
/// scraped twice, the series of the period and the coverage.
extension UsageAccumulator {
    /// The response models (values of `label`) the series of each provider and request model carry,
    /// keyed by ``ResponseModels/key(provider:model:)``; empty, `unknown` and same-as-request values left out.
    public func responseModels(label: String) -> ResponseModels {
        var models = ResponseModels()
        for tracked in trackers.values {
            guard let answered = tracked.labels[label], !answered.isEmpty, answered != "unknown",
                answered != tracked.key.model
            else { continue }
            models.add(answered, provider: tracked.key.system, model: tracked.key.model)
        }
        return models
    }

    /// Distinct series fed so far.
    public var seriesCount: Int { trackers.count }

    /// The series that share a counter with another: relabelled targets and counters scraped twice.
    /// Both are found from every series, so ``usage(_:)`` and ``coverage(dataEnd:sharing:)`` take
    /// one of these instead of each finding them again.
    public struct Sharing: Sendable {
        let links: [CounterContinuation.Link]
        public let doubleScrapes: [DoubleScrape.Group]
    }

    /// The continuations and double scrapes of the series fed so far.
    public var sharing: Sharing { Sharing(links: continuations, doubleScrapes: doubleScrapes) }

    /// The hourly increases per key (keys with no usage are absent), relabelled targets continued,
    /// a counter scraped twice at once counted once.
    public var usage: [UsageKey: [Int64]] { usage(sharing) }

    /// ``usage``, with the continuations and double scrapes already found.
    public func usage(_ sharing: Sharing) -> [UsageKey: [Int64]] {
        var rows = hourly
        var own = seriesHourly
        var changed = Set<UsageKey>()
        for link in sharing.links {
            guard let key = trackers[link.to]?.key else { continue }
            var row = rows[key] ?? Array(repeating: 0, count: buckets.hourCount)
            var mine = own[link.to] ?? Array(repeating: 0, count: buckets.hourCount)
            for (hour, tokens) in CounterContinuation.corrections(link, buckets: buckets) {
                row[hour] += tokens
                mine[hour] += tokens
            }
            rows[key] = row
            own[link.to] = mine
            changed.insert(key)
        }
        for group in sharing.doubleScrapes {
            for (index, series) in group.series.enumerated() {
                guard let key = trackers[series]?.key, let mine = own[series], var row = rows[key] else { continue }
                for hour in mine.indices where group.chosen[hour] != index { row[hour] -= mine[hour] }
                rows[key] = row
                changed.insert(key)
            }
            guard let key = group.series.first.flatMap({ trackers[$0]?.key }) else { continue }
            let copies = group.series.map { series in
                DoubleScrape.CopyHours(
                    increases: own[series] ?? Array(repeating: 0, count: buckets.hourCount),
                    lasts: hourLast[series] ?? Array(repeating: -1, count: buckets.hourCount),
                    gapEnds: gapEnds(of: series), resetHours: resetHours(of: series))
            }
            for (hour, tokens) in DoubleScrape.switchCorrections(chosen: group.chosen, copies: copies) {
                rows[key, default: Array(repeating: 0, count: buckets.hourCount)][hour] += tokens
            }
        }
        for key in changed where rows[key]?.contains(where: { $0 != 0 }) != true { rows[key] = nil }
        return rows
    }

    /// Each series' labels and hourly increases as counted (before continuations and double scrapes).
    public var seriesUsage: [(labels: [String: String], hourly: [Int64])] {
        seriesHourly.compactMap { identity, hourly in trackers[identity].map { ($0.labels, hourly) } }
    }

    /// The period hours whose end a gap of `series` crosses (its increase shared across it).
    func gapEnds(of series: String) -> Set<Int> {
        guard let tracked = trackers[series] else { return [] }
        return Set(
            (tracked.earlier.gaps + tracked.tracker.gaps).flatMap { gap in
                buckets.hourStarts.indices.filter {
                    let end = buckets.hourEndMillis($0)
                    return gap.from < end && gap.to > end
                }
            })
    }

    /// The period hours in which `series` reset.
    func resetHours(of series: String) -> Set<Int> {
        guard let tracked = trackers[series] else { return [] }
        return Set((tracked.earlier.resets + tracked.tracker.resets).compactMap { buckets.hourIndex(millis: $0 - 1) })
    }

    /// Counters of one target read as several series at the same time, each counted once.
    public var doubleScrapes: [DoubleScrape.Group] {
        let keep = DoubleScrape.keeps(extra: dimensions.dedupeLabels)
        let copies = sharingCounter { _ in keep }
            .compactMap { identity, tracked, counter -> DoubleScrape.Copy? in
                guard let span = span(of: tracked) else { return nil }
                return DoubleScrape.Copy(
                    series: identity, counter: counter, labels: tracked.labels, from: span.0, to: span.1,
                    samples: seriesSamples[identity] ?? Array(repeating: 0, count: buckets.hourCount))
            }
        return DoubleScrape.groups(copies, hours: buckets.hourCount)
    }

    /// The series whose counter (the identity of the labels `keeps` says it keeps) some other
    /// series shares, each with it. Counters are compared by the hash of those labels first, so no
    /// text is made for the series that are their own counter (nearly all).
    func sharingCounter(keeps: (_ labels: [String: String]) -> (String) -> Bool) -> [(String, Tracked, String)] {
        let hashes = trackers.values.map { Self.labelSetHash($0.labels, keeps: keeps($0.labels)) }
        var seen = Set<Int>(minimumCapacity: hashes.count)
        var shared = Set<Int>()
        for hash in hashes where !seen.insert(hash).inserted { shared.insert(hash) }
        guard !shared.isEmpty else { return [] }
        return zip(trackers, hashes).compactMap { entry, hash in
            shared.contains(hash)
                ? (entry.key, entry.value, Self.identity(entry.value.labels, keeping: keeps(entry.value.labels))) : nil
        }
    }

    /// A hash of the labels `keeps` admits (never `__name__`), the same for equal sets in any order.
    static func labelSetHash(_ labels: [String: String], keeps: (String) -> Bool) -> Int {
        var sum = 0
        for (key, value) in labels where key != "__name__" && keeps(key) {
            var hasher = Hasher()
            hasher.combine(key)
            hasher.combine(value)
            sum &+= hasher.finalize()
        }
        return sum
    }

    /// From the first to the last instant a series is known to have data (samples or summed hours).
    func span(of tracked: Tracked) -> (Int64, Int64)? {
        var facts = tracked.earlier
        facts.absorb(tracked.tracker)
        let raw = facts.firstMillis.flatMap { first in facts.lastSample.map { (first, $0.millis) } }
        return [raw, facts.summedInPeriod.map { ($0.from, $0.to) }].compactMap { $0 }
            .reduce(nil as (Int64, Int64)?) { known, span in
                (min(known?.0 ?? span.0, span.0), max(known?.1 ?? span.1, span.1))
            }
    }

    /// The series that continue another one under new scrape labels.
    var continuations: [CounterContinuation.Link] {
        var endings: [CounterContinuation.Ending] = []
        var beginnings: [CounterContinuation.Beginning] = []
        var activity: [CounterContinuation.Activity] = []
        // A series links only to another of its counter.
        for (identity, tracked, counter) in sharingCounter(keeps: CounterContinuation.keeps) {
            var facts = tracked.earlier
            facts.absorb(tracked.tracker)
            if let span = span(of: tracked) {
                activity.append(.init(series: identity, counter: counter, from: span.0, to: span.1))
            }
            // A first sample at the data edge is a baseline, not a beginning.
            if !tracked.atDataEdge, !facts.firstSeeded, let first = facts.firstMillis {
                beginnings.append(
                    .init(
                        series: identity, counter: counter, millis: first, value: facts.firstValue,
                        counted: facts.countedFromZero?.tokens ?? 0))
            }
            // Only a series whose last sample is its latest data can have stopped there.
            if let last = facts.lastSample, last.millis >= facts.summedThrough ?? .min {
                endings.append(
                    .init(
                        series: identity, counter: counter, millis: last.millis, value: last.value,
                        typicalInterval: facts.typicalInterval))
            }
        }
        return CounterContinuation.links(
            endings: endings, beginnings: beginnings, activity: activity, gapFactor: gapFactor)
    }

    /// Per series fed so far: its identity and the first and last of its samples inside the
    /// period (ms; for hours summed server-side, their start and end), for series with any;
    /// sorted by identity.
    public var seriesInPeriod: [(identity: String, first: Int64, last: Int64)] {
        // Identities sorted, not (identity, state) pairs: copying every series' state to sort it
        // costs more than looking each one up again.
        trackers.keys.sorted().compactMap { identity in
            let tracked = trackers[identity]!
            var tracker = tracked.earlier
            tracker.absorb(tracked.tracker)
            let summed = tracker.summedInPeriod
            guard let first = [tracker.firstInPeriod, summed?.from].compactMap({ $0 }).min(),
                let last = [tracker.lastInPeriod, summed?.to].compactMap({ $0 }).max()
            else { return nil }
            return (identity, first, last)
        }
    }

    /// Coverage over all series fed so far.
    /// - Parameter dataEnd: the latest instant data can exist for (now, for a partial period).
    public func coverage(dataEnd: Date) -> Coverage {
        coverage(dataEnd: dataEnd, sharing: sharing)
    }

    /// ``coverage(dataEnd:)``, with the continuations already found (the double scrapes are not read).
    public func coverage(dataEnd: Date, sharing: Sharing) -> Coverage {
        var coverage = Coverage()
        coverage.estimated = estimatedShares
        let endMillis = min(buckets.endMillis, Int64(dataEnd.timeIntervalSince1970 * 1000))
        let links = sharing.links
        let continuing = Set(links.map(\.to))
        let continued = Set(links.map(\.from))
        for identity in trackers.keys.sorted() {
            let tracked = trackers[identity]!
            var tracker = tracked.earlier
            tracker.absorb(tracked.tracker)
            coverage.series += 1
            coverage.samples += tracker.samples
            coverage.missedSamples += tracker.missedSamples
            coverage.resets += tracker.resets.map { .init(series: identity, at: Date(millis: $0)) }
            coverage.gaps += tracker.gaps.filter { $0.to > buckets.startMillis && $0.from < buckets.endMillis }
                .map {
                    .init(
                        series: identity, target: tracked.target, from: Date(millis: $0.from), to: Date(millis: $0.to),
                        apportioned: $0.apportioned)
                }
            if tracker.startedInPeriod, !tracked.atDataEdge, !continuing.contains(identity),
                let first = tracker.firstInPeriod
            {
                coverage.startedInPeriod.append(.init(series: identity, at: Date(millis: first)))
            }
            if let last = tracker.lastInPeriod, !tracker.seenAfterEnd, !continued.contains(identity) {
                let slack = Double(tracker.typicalInterval ?? CounterTracker.defaultGapMillis) * gapFactor
                if Double(endMillis - last) > slack {
                    coverage.stoppedInPeriod.append(.init(series: identity, at: Date(millis: last)))
                }
            }
        }
        // A relabel across a scrape gap is a gap of the counter, shown on the new series.
        for link in links where link.isGap && link.toMillis > buckets.startMillis && link.fromMillis < buckets.endMillis
        {
            guard let tracked = trackers[link.to] else { continue }
            let crosses = buckets.hourIndex(millis: link.fromMillis) != buckets.hourIndex(millis: link.toMillis - 1)
            coverage.gaps.append(
                .init(
                    series: link.to, target: tracked.target, from: Date(millis: link.fromMillis),
                    to: Date(millis: link.toMillis), apportioned: crosses))
        }
        coverage.dataStart = dataStartMillis.map { Date(millis: $0) }
        (coverage.expectedHours, coverage.uncovered) = uncoveredHours(endMillis: endMillis, gaps: coverage.gaps)
        return coverage
    }

    /// The period's hours that start before `endMillis` (less a scrape's slack), and the stretches
    /// of them without a sample of any series.
    private func uncoveredHours(endMillis: Int64, gaps: [Coverage.GapEvent]) -> (Int, [Coverage.HourSpan]) {
        let expected = (0..<buckets.hourCount).prefix {
            buckets.hourStarts[$0] * 1000 + CounterTracker.defaultGapMillis < endMillis
        }
        var spans: [Coverage.HourSpan] = []
        var hour = 0
        while hour < expected.count {
            guard !sampledHours[hour] else {
                hour += 1
                continue
            }
            var end = hour
            while end + 1 < expected.count && !sampledHours[end + 1] { end += 1 }
            let from = Date(millis: buckets.hourStarts[hour] * 1000)
            let to = Date(millis: buckets.hourEndMillis(end))
            let bridged = gaps.contains { $0.from < to && $0.to > from }
            let beforeData = dataStartMillis.map { buckets.hourEndMillis(end) <= $0 + 3_600_000 && hour == 0 } ?? false
            spans.append(.init(from: from, to: to, hours: end - hour + 1, bridged: bridged, beforeData: beforeData))
            hour = end + 1
        }
        return (expected.count, spans)
    }

    /// A stable text identity of a label set: `{a="1",b="2"}` sorted by name, without `__name__`
    /// and, given `keep`, of the labels it admits only (a counter's labels, or a series' own labels
    /// in an answer that adds one).
    package static func identity(_ labels: [String: String], keeping keep: ((String) -> Bool)? = nil) -> String {
        // Made for every series of every answer: the kept labels sorted in a buffer on the stack
        // (by insertion: a label set is a dozen names), their bytes written once into the string.
        withUnsafeTemporaryAllocation(of: (key: String, value: String).self, capacity: labels.count) { kept in
            var count = 0
            var bytes = 2
            for (key, value) in labels where key != "__name__" && keep?(key) != false {
                var slot = count
                while slot > 0, kept[slot - 1].key > key {
                    (kept.baseAddress! + slot).moveInitialize(from: kept.baseAddress! + slot - 1, count: 1)
                    slot -= 1
                }
                (kept.baseAddress! + slot).initialize(to: (key, value))
                count += 1
                bytes += key.utf8.count + value.utf8.count + 4
            }
            defer { kept.baseAddress!.deinitialize(count: count) }
            return String(unsafeUninitializedCapacity: bytes - (count > 0 ? 1 : 0)) { text in
                var index = 0
                func put(_ byte: UInt8) {
                    text[index] = byte
                    index += 1
                }
                func put(_ string: String) {
                    for byte in string.utf8 { put(byte) }
                }
                put(UInt8(ascii: "{"))
                for (offset, label) in kept.prefix(count).enumerated() {
                    if offset > 0 { put(UInt8(ascii: ",")) }
                    put(label.key)
                    put(UInt8(ascii: "="))
                    put(UInt8(ascii: "\""))
                    put(label.value)
                    put(UInt8(ascii: "\""))
                }
                put(UInt8(ascii: "}"))
                return index
            }
        }
    }

    /// `gateway pod` (or `gateway instance`), naming the scrape target of a series.
    package static func target(_ labels: [String: String], _ dimensions: UsageDimensions) -> String {
        let gateway = labels[dimensions.labels.gateway] ?? ""
        let place = labels["pod"] ?? labels["instance"] ?? ""
        return place.isEmpty ? gateway : "\(gateway) \(place)"
    }
}
