/// A run of missed scrapes as it appears in the data.
struct ObservedGap {
    let kind: FaultKind
    let gateway: Int
    /// The window that caused it (for short gaps: the first and last missed attempt).
    let from: Millis
    let to: Millis
    let missedScrapes: Int
    let lastScrapeBefore: Millis?
    let firstScrapeAfter: Millis?
}

/// When one gateway is scraped: a fixed interval from its own phase, jitter of at most ±0.5 s,
/// minus the scrapes lost to gaps and outages.
struct ScrapeSchedule {
    static let maxJitter: Millis = 500

    let gateway: Int
    let phase: Millis
    let times: [Millis]
    let gaps: [ObservedGap]

    init(gateway: Int, start: Millis, end: Millis, seed: UInt64, plan: FaultPlan) {
        self.gateway = gateway
        let interval = World.gateways[gateway].scrapeInterval
        var rng = SplitMix64(seed: seed, stream: 200 + UInt64(gateway))
        phase = rng.int(in: Self.maxJitter...(interval - 1))

        let windows = plan.windows.filter { $0.gateway == gateway }
        let shortGaps = plan.shortGaps.filter { $0.gateway == gateway }
        var remaining = shortGaps.map(\.missed)
        var missedByWindow = Array(repeating: [Millis](), count: windows.count)
        var missedByShortGap = Array(repeating: [Millis](), count: shortGaps.count)
        var kept: [Millis] = []
        kept.reserveCapacity(Int((end - start) / interval) + 1)

        var nominal = start + phase
        while true {
            let t = nominal + rng.int(in: -Self.maxJitter...Self.maxJitter)
            nominal += interval
            guard t < end else { break }
            if let w = windows.firstIndex(where: { t >= $0.from && t < $0.to }) {
                missedByWindow[w].append(t)
            } else if let g = shortGaps.indices.first(where: { t >= shortGaps[$0].from && remaining[$0] > 0 }) {
                remaining[g] -= 1
                missedByShortGap[g].append(t)
            } else {
                kept.append(t)
            }
        }
        times = kept

        var observed: [ObservedGap] = []
        for (window, missed) in zip(windows, missedByWindow) where !missed.isEmpty {
            observed.append(Self.observe(window.kind, gateway, window.from, window.to, missed, kept))
        }
        for missed in missedByShortGap where !missed.isEmpty {
            observed.append(Self.observe(.gap, gateway, missed[0], missed[missed.count - 1], missed, kept))
        }
        gaps = observed
    }

    private static func observe(
        _ kind: FaultKind, _ gateway: Int, _ from: Millis, _ to: Millis,
        _ missed: [Millis], _ kept: [Millis]
    ) -> ObservedGap {
        let firstMissed = missed[0]
        let lastMissed = missed[missed.count - 1]
        let after = kept.partitionIndex { $0 > lastMissed }
        let before = kept.partitionIndex { $0 >= firstMissed }
        return ObservedGap(
            kind: kind, gateway: gateway, from: from, to: to, missedScrapes: missed.count,
            lastScrapeBefore: before > 0 ? kept[before - 1] : nil,
            firstScrapeAfter: after < kept.count ? kept[after] : nil)
    }
}

extension Array {
    /// The first index whose element satisfies `predicate`, for a predicate that is false then true.
    func partitionIndex(where predicate: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let mid = (low + high) / 2
            if predicate(self[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
