import Foundation

/// Collects samples of many counter series, in time order, into exact hourly increases per ``UsageKey``.
///
/// Feed it chunk by chunk (``ingest(series:samples:)``); it keeps one small state per series and
/// one array of hourly totals per key, never the samples themselves.
public struct UsageAccumulator {
    public let buckets: Buckets
    public let dimensions: UsageDimensions
    /// Multiplier applied to sample values before rounding to whole units (1 for tokens).
    public let scale: Double
    public let gapFactor: Double

    var trackers: [String: Tracked] = [:]
    var hourly: [UsageKey: [Int64]] = [:]
    /// The same increases per series, and each series' samples per hour, to count a counter
    /// scraped twice once (``DoubleScrape``).
    var seriesHourly: [String: [Int64]] = [:]
    var seriesSamples: [String: [Int]] = [:]
    /// Tokens per key and hour that rest on an estimated counter start (``LateStart``).
    var estimatedShares: [UsageKey: [Int64]] = [:]
    /// Samples that were NaN, infinite or negative, skipped.
    public private(set) var invalidSamples = 0
    /// Which of the period's hours hold at least one sample of any series.
    var sampledHours: [Bool]
    /// Per hour of the period: the samples counted in it, and those the scrape intervals say are
    /// missing (counted in the hour of the sample after the gap), for the usage store.
    public internal(set) var hourSamples: [Int]
    public private(set) var hourMissedSamples: [Int]
    /// The earliest instant at which the server-side summaries saw samples (see ``noteData(from:)``).
    var summaryEvidenceMillis: Int64?
    /// Where the backend's data starts, when it starts after the read range does (set by
    /// ``settleDataEdge(readFromMillis:)``): the period's hours before it are not covered.
    public private(set) var dataStartMillis: Int64?
    /// Stored counter states the series continue from (``continueFrom(_:)``), by identity.
    var continued: [String: SeriesState] = [:]
    /// When set, the last sample fed of each series in each hour of the period, by identity and
    /// hour: what the usage store keeps as the counter state at an hour's end.
    public private(set) var lastFedInHour: [String: [Int: SeriesState]]?
    /// Labels added to every series fed while set (``HistogramKind/label`` while a native
    /// histogram is read), so its series are told apart from the classic ones of the same labels.
    package var seriesTag: (name: String, value: String)?
    /// The last native histogram `count` fed per series, for its counter-reset rule.
    var histogramCounts: [String: Double] = [:]
    /// Per series and period hour, the value of its last sample in the hour (-1: none), to stitch
    /// the copies of a counter scraped twice where the copy counted changes (``DoubleScrape``).
    var hourLast: [String: [Int64]] = [:]

    struct Tracked {
        let key: UsageKey
        let target: String
        let labels: [String: String]
        var tracker = CounterTracker()
        /// What earlier trackers of this series (closed by ``beginRun(series:seed:)``) and hours
        /// summed server-side contributed to the coverage.
        var earlier = EarlierCoverage()
        /// Whether the series' first sample sits at the edge of the backend's data: a baseline
        /// whose value holds the counter's past, not usage.
        var atDataEdge = false

        /// The first sample of the series fed so far, and the increase it was counted with.
        var first: (millis: Int64, countedFromZero: (millis: Int64, hour: Int, tokens: Int64)?)? {
            if let millis = earlier.firstMillis { return (millis, earlier.countedFromZero) }
            return tracker.firstMillis.map { ($0, tracker.countedFromZero) }
        }
    }

    /// Coverage facts of a series that its current tracker does not hold.
    struct EarlierCoverage {
        var samples = 0
        var missedSamples = 0
        var resets: [Int64] = []
        var gaps: [CounterTracker.Gap] = []
        var firstInPeriod: Int64?
        var startedInPeriod = false
        var lastInPeriod: Int64?
        var seenAfterEnd = false
        var typicalInterval: Int64?
        /// The first sample of the series (from its first tracker) and what it was counted with.
        var firstMillis: Int64?
        var firstValue: Int64 = 0
        /// Whether that first tracker continued from a seed (hours summed before it): then its first
        /// sample is not the series' first.
        var firstSeeded = false
        var countedFromZero: (millis: Int64, hour: Int, tokens: Int64)?
        var lastSample: (millis: Int64, value: Int64)?
        /// The end of the latest hour summed server-side (`Int64.max` for one after the period).
        var summedThrough: Int64?
        /// The first and last instants of the period's hours summed server-side.
        var summedInPeriod: (from: Int64, to: Int64)?

        /// Takes over what a finished tracker saw.
        mutating func absorb(_ tracker: CounterTracker) {
            if firstMillis == nil, let first = tracker.firstMillis {
                firstMillis = first
                firstValue = tracker.firstValue
                firstSeeded = tracker.isSeeded
                countedFromZero = tracker.countedFromZero
            }
            samples += tracker.samplesInPeriod
            missedSamples += tracker.missedSamples
            resets += tracker.resets
            gaps += tracker.gaps
            if firstInPeriod == nil, let first = tracker.firstInPeriod {
                firstInPeriod = first
                startedInPeriod = tracker.startedInPeriod
            }
            if let last = tracker.lastInPeriod { lastInPeriod = max(lastInPeriod ?? last, last) }
            seenAfterEnd = seenAfterEnd || tracker.seenAfterEnd
            typicalInterval = tracker.typicalInterval ?? typicalInterval
            if let last = tracker.lastSample, last.millis > lastSample?.millis ?? .min { lastSample = last }
        }
    }

    public init(buckets: Buckets, dimensions: UsageDimensions, gapFactor: Double, scale: Double = 1) {
        self.buckets = buckets
        self.dimensions = dimensions
        self.gapFactor = gapFactor
        self.scale = scale
        sampledHours = Array(repeating: false, count: buckets.hourCount)
        hourSamples = Array(repeating: 0, count: buckets.hourCount)
        hourMissedSamples = hourSamples
    }

    /// Makes each series of `states` continue from its stored state instead of starting with its
    /// first sample fed (``CounterTracker/init(continuing:)``). Call before any sample is fed.
    public mutating func continueFrom(_ states: [SeriesState]) {
        for state in states { continued[state.identity] = state }
    }

    /// Room for `count` more series: the table of series is made once at its size instead of
    /// doubling (and briefly held twice) while it fills.
    public mutating func reserveSeries(_ count: Int) { trackers.reserveCapacity(trackers.count + count) }

    /// Starts keeping the last sample fed of each series in each hour (``lastFedInHour``).
    public mutating func keepLastFedInHour() {
        lastFedInHour = lastFedInHour ?? [:]
    }

    /// The series continued from stored states that were fed samples: key, hourly increases, and
    /// the first sample after the state (ms).
    public var continuedUsage: [ContinuedSeries] {
        continued.keys.sorted().compactMap { identity in
            guard let tracked = trackers[identity], let first = tracked.tracker.firstMillis else { return nil }
            return ContinuedSeries(
                key: tracked.key, hourly: seriesHourly[identity] ?? [], firstSampleMillis: first)
        }
    }

    /// Samples counted per hour of the period, by series identity (summed hours included; series
    /// without any absent).
    public var samplesBySeries: [String: [Int]] { seriesSamples }

    /// Feeds the samples of one series. Calls for the same series must come in time order.
    /// - Parameters:
    ///   - series: all labels of the series (`__name__` is ignored).
    ///   - samples: (ms since 1970, value) in increasing time.
    public mutating func ingest(series labels: [String: String], samples: [(Int64, Double)]) {
        ingest(series: labels, samples: samples, histogramCounts: nil)
    }

    /// ``ingest(series:samples:)`` for a native histogram's sums, with each sample's `count`
    /// (NaN for a float sample): a count below the last one fed is a reset whatever the sum says.
    package mutating func ingest(
        series labels: [String: String], samples: [(Int64, Double)], histogramCounts: [Double]?,
        identity known: String? = nil
    ) {
        var (identity, tracked) = entry(for: labels, identity: known)
        var row = hourly[tracked.key] ?? []
        var own = seriesHourly[identity] ?? []
        var counts = seriesSamples[identity] ?? []
        var touched = false
        var lastFed: [Int: SeriesState] = [:]
        var lasts = hourLast[identity] ?? []
        // Copied once, not per sample (the closure below would otherwise capture `self`).
        let buckets = self.buckets
        let hourCount = buckets.hourCount
        for (index, (millis, raw)) in samples.enumerated() {
            let count = histogramCounts.map { $0[index] }
            var countReset = false
            if let count, count.isFinite {
                if let known = self.histogramCounts[identity], count < known,
                    millis > tracked.tracker.lastMillis ?? .min
                {
                    countReset = true
                }
                self.histogramCounts[identity] = count
            }
            let scaled = raw * scale
            guard scaled.isFinite, scaled >= 0, scaled < 9e18 else {
                invalidSamples += 1
                continue
            }
            // The hour a sample's increase lands in, as the hourly summaries count it.
            let hourOfSample = buckets.hourIndex(millis: millis - 1)
            if let hourOfSample {
                sampledHours[hourOfSample] = true
                if counts.isEmpty { counts = Array(repeating: 0, count: buckets.hourCount) }
                counts[hourOfSample] += 1
            }
            let (counted, missed) = (tracked.tracker.samplesInPeriod, tracked.tracker.missedSamples)
            tracked.tracker.ingest(
                millis: millis, value: Int64(scaled.rounded()), buckets: buckets,
                gapFactor: gapFactor, reset: countReset
            ) { hour, tokens in
                if row.isEmpty { row = Array(repeating: 0, count: hourCount) }
                if own.isEmpty { own = Array(repeating: 0, count: hourCount) }
                row[hour] += tokens
                own[hour] += tokens
                touched = true
            }
            if let hourOfSample {
                hourSamples[hourOfSample] += tracked.tracker.samplesInPeriod - counted
                hourMissedSamples[hourOfSample] += tracked.tracker.missedSamples - missed
                if let last = tracked.tracker.lastSample, last.millis == millis {
                    if lasts.isEmpty { lasts = Array(repeating: -1, count: buckets.hourCount) }
                    lasts[hourOfSample] = last.value
                    if lastFedInHour != nil {
                        lastFed[hourOfSample] = SeriesState(identity: identity, millis: millis, value: last.value)
                    }
                }
            }
        }
        if !lastFed.isEmpty { lastFedInHour?[identity, default: [:]].merge(lastFed) { $1 } }
        if !lasts.isEmpty { hourLast[identity] = lasts }
        trackers[identity] = tracked
        if !counts.isEmpty { seriesSamples[identity] = counts }
        if touched {
            hourly[tracked.key] = row
            seriesHourly[identity] = own
        }
    }

    /// Starts a new stretch of samples for a series: what its current tracker saw is kept for the
    /// coverage, and the next samples are followed from `seed` (the value of the sample before
    /// them, already summed) or, without a seed, as a series seen for the first time.
    public mutating func beginRun(series labels: [String: String], seed: Double?, identity known: String? = nil) {
        var (identity, tracked) = entry(for: labels, identity: known)
        histogramCounts[identity] = nil
        tracked.earlier.absorb(tracked.tracker)
        let scaledSeed = seed.map { $0 * scale }
        if let scaledSeed, scaledSeed.isFinite, scaledSeed >= 0, scaledSeed < 9e18 {
            tracked.tracker = CounterTracker(seed: Int64(scaledSeed.rounded()))
        } else {
            tracked.tracker = CounterTracker()
        }
        trackers[identity] = tracked
    }

    /// Whether the samples fed to a series so far end on schedule before `millis` (an hour's end):
    /// the last one inside the hour before it, and the next scrape due after it. Then the hour
    /// after `millis` starts with an ordinary interval, no gap.
    public func endsOnSchedule(series labels: [String: String], identity known: String, before millis: Int64) -> Bool {
        let (identity, _) = entry(for: labels, identity: known)
        guard let tracker = trackers[identity]?.tracker, let last = tracker.lastSample?.millis,
            let interval = tracker.typicalInterval, interval > 0
        else { return false }
        return last > millis - Hour.millis && last <= millis && last + interval > millis
    }

    /// Records that the server-side summaries saw samples in the hour starting at `millis`, for
    /// series whose samples there are not fed (see ``settleDataEdge(readFromMillis:)``).
    public mutating func noteData(from millis: Int64) {
        summaryEvidenceMillis = min(summaryEvidenceMillis ?? millis, millis)
    }

    /// Treats the edge of the backend's data as what it is: when the earliest sample of any series
    /// comes later than the read range starts (retention deleted what came before, or the data was
    /// not there), every series whose first sample sits at that edge (within its gap slack) was
    /// running before it, and its first value holds the counter's whole past. Such a first sample
    /// becomes a baseline: the increase it was counted with is taken back. A series first seen
    /// later still counts from zero. Call once, after every sample was fed.
    /// - Parameter readFromMillis: where the read range (the lookback before the period) starts.
    public mutating func settleDataEdge(readFromMillis: Int64) {
        let firsts = trackers.values.compactMap { $0.first?.millis }
        guard let exact = firsts.min() else { return }
        // The summaries only say in which hour the data starts; a first sample read in that hour
        // says where (a data start inside an hour, as deleting samples leaves it).
        let evidence = summaryEvidenceMillis ?? exact
        let earliest = exact <= evidence + Hour.millis ? exact : evidence
        guard earliest > readFromMillis + CounterTracker.defaultGapMillis else { return }
        dataStartMillis = earliest
        for (identity, var tracked) in trackers {
            guard let first = tracked.first else { continue }
            let interval = tracked.earlier.typicalInterval ?? tracked.tracker.typicalInterval
            let slack = interval.map { Int64(Double($0) * gapFactor) } ?? CounterTracker.defaultGapMillis
            guard first.millis <= earliest + slack else { continue }
            tracked.atDataEdge = true
            if let counted = first.countedFromZero {
                hourly[tracked.key]?[counted.hour] -= counted.tokens
                seriesHourly[identity]?[counted.hour] -= counted.tokens
            }
            trackers[identity] = tracked
        }
    }

    /// First samples counted from zero inside the period that hold a past (``LateStart``), of
    /// series that are neither baselines at the data edge nor continuations of another series, and
    /// whose target no other series shows scraped before (a series born on a scraped target is new).
    package var lateFirstValues: [LateStart.FirstValue] {
        let continuing = Set(continuations.map(\.to))
        var targetSeen: [String: Int64] = [:]
        for tracked in trackers.values {
            guard let from = span(of: tracked)?.0 else { continue }
            targetSeen[tracked.target] = min(targetSeen[tracked.target] ?? from, from)
        }
        // Filtered first: few series have a first value counted from zero.
        let counting = trackers.filter { identity, tracked in
            !tracked.atDataEdge && !continuing.contains(identity) && tracked.first?.countedFromZero != nil
        }
        return counting.sorted { $0.key < $1.key }.compactMap { identity, tracked in
            guard let counted = tracked.first?.countedFromZero else { return nil }
            var facts = tracked.earlier
            facts.absorb(tracked.tracker)
            let slack = facts.typicalInterval.map { Int64(Double($0) * gapFactor) } ?? CounterTracker.defaultGapMillis
            guard (targetSeen[tracked.target] ?? counted.millis) >= counted.millis - slack else { return nil }
            let first = LateStart.FirstValue(
                identity: identity, labels: tracked.labels, millis: counted.millis, hour: counted.hour,
                tokens: counted.tokens, laterTokens: (seriesHourly[identity]?.reduce(0, +) ?? 0) - counted.tokens,
                laterMillis: (facts.lastInPeriod ?? counted.millis) - counted.millis, slackMillis: slack,
                intervalMillis: facts.typicalInterval)
            return first.isLate ? first : nil
        }
    }

    /// Shares each late first value by time over `[start, first sample)` instead of counting it in
    /// its sample's hour (``LateStart``). Call once, after ``settleDataEdge(readFromMillis:)``.
    package mutating func shareLateStarts(_ firsts: [LateStart.FirstValue], podStarts: LateStart.PodStarts)
        -> [LateStart.Shared]
    {
        firsts.compactMap { first -> LateStart.Shared? in
            guard let start = LateStart.start(of: first, podStarts: podStarts), let key = trackers[first.identity]?.key
            else { return nil }
            var shares = [(first.hour, -first.tokens)]
            shares += Apportion.split(delta: first.tokens, from: start.millis, to: first.millis, buckets: buckets)
            for (hour, tokens) in shares {
                hourly[key]?[hour] += tokens
                seriesHourly[first.identity]?[hour] += tokens
            }
            if start.source == .estimate { noteEstimated(shares.dropFirst(), key: key) }
            return LateStart.Shared(
                series: first.identity, firstSample: Date(millis: first.millis), tokens: first.tokens,
                start: Date(millis: start.millis), source: start.source)
        }
    }

    /// The series' identity and its state (new when first seen).
    /// - Parameter known: the identity of `labels` when the caller has computed it (ignored
    ///   while a ``seriesTag`` changes the labels).
    func entry(for labels: [String: String], identity known: String? = nil) -> (String, Tracked) {
        var labels = labels
        if let seriesTag { labels[seriesTag.name] = seriesTag.value }
        let identity = seriesTag == nil ? known ?? Self.identity(labels) : Self.identity(labels)
        // The key already stored, so every table of the series shares one copy of its identity.
        if let index = trackers.index(forKey: identity) { return (trackers.keys[index], trackers.values[index]) }
        var tracked = Tracked(
            key: dimensions.key(for: labels), target: Self.target(labels, dimensions),
            labels: labels.filter { $0.key != "__name__" })
        if let state = continued[identity] { tracked.tracker = CounterTracker(continuing: (state.millis, state.value)) }
        return (identity, tracked)
    }
}

/// A series that continued from a stored counter state (``UsageAccumulator/continueFrom(_:)``).
public struct ContinuedSeries: Sendable {
    public let key: UsageKey
    /// Its increases per bucket hour (empty when none).
    public let hourly: [Int64]
    /// Its first sample after the state, ms.
    public let firstSampleMillis: Int64
}
