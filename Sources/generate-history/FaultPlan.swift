/// The kinds of incident recorded in faults.json.
enum FaultKind: String, Codable {
    case reset
    case podReplaced = "pod_replaced"
    case seriesStarted = "series_started"
    case gap, outage
}

/// A time window in which a gateway is not scraped.
struct GapWindow {
    let kind: FaultKind
    let gateway: Int
    let from: Millis
    let to: Millis
}

/// A short run of missed scrapes: the first `missed` scrapes at or after `from`.
struct ShortGap {
    let gateway: Int
    let from: Millis
    let missed: Int
}

/// Everything that goes wrong (or changes) in one run, drawn from the seed within [start, end).
struct FaultPlan {
    /// Pod names per gateway, oldest first: its `replicas` pods, then agentgateway2's replacement pod.
    let pods: [[String]]
    let restart: (gateway: Int, time: Millis)?
    let replacement: (gateway: Int, time: Millis, stop: Millis)?
    let windows: [GapWindow]
    let shortGaps: [ShortGap]

    /// Draws the plan; the restart is pinned 1 ms after a request of `requests` (the gateways'
    /// requests), so at least that request is counted, lost in the crash and never scraped.
    init(start: Millis, end: Millis, seed: UInt64, requests: [[SimulatedRequest]]) {
        var rng = SplitMix64(seed: seed, stream: 1)
        let inRange = { (t: Millis) in t >= start && t < end }

        let r = World.restart
        let drawn = r.around + rng.int(below: UTC.minute)
        let served = requests[r.gateway]
        let next = served.partitionIndex { $0.time >= drawn }
        let restartTime = (next < served.count ? served[next].time : drawn) + 1
        restart = inRange(drawn) && inRange(restartTime) ? (r.gateway, restartTime) : nil

        let p = World.podReplacement
        let replaceTime = p.around + rng.int(below: UTC.minute)
        replacement = inRange(replaceTime) ? (p.gateway, replaceTime, replaceTime + p.drain) : nil

        var names = World.gateways.map { gateway in
            (0..<gateway.replicas).map { _ in Self.podName(gateway.deployment, rng: &rng) }
        }
        if let replacement {
            let deployment = World.gateways[replacement.gateway].deployment
            names[replacement.gateway].append(Self.podName(deployment, rng: &rng))
        }
        pods = names

        windows = World.windows.filter { $0.to > start && $0.from < end }

        var busy: [Millis] = [restartTime, replaceTime, World.gateway3SonnetFrom]
        busy += World.windows.flatMap { [$0.from, $0.to] }
        shortGaps = Self.drawShortGaps(start: start, end: end, avoiding: busy, rng: &rng)
    }

    /// Kubernetes-style `deployment-<template hash>-<suffix>`.
    private static func podName(_ deployment: String, rng: inout SplitMix64) -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        func draw(_ count: Int) -> String {
            String((0..<count).map { _ in alphabet[Int(rng.int(below: Int64(alphabet.count)))] })
        }
        return "\(deployment)-\(draw(9))-\(draw(5))"
    }

    /// A handful of gaps of 2–10 missed scrapes (one per 6 days, at most `World.shortGapCount`),
    /// at least 3 h from other incidents and each other and 30 min from any UTC midnight, so only
    /// the deliberate long gaps cross a day boundary.
    private static func drawShortGaps(
        start: Millis, end: Millis, avoiding busy: [Millis],
        rng: inout SplitMix64
    ) -> [ShortGap] {
        let count = min(World.shortGapCount, max(1, Int((end - start) / (6 * UTC.day))))
        var gateways = (0..<count).map { $0 % World.gateways.count }
        for i in stride(from: gateways.count - 1, to: 0, by: -1) {
            gateways.swapAt(i, Int(rng.int(below: Int64(i + 1))))
        }
        let earliest = start + 6 * UTC.hour
        let latest = end - 6 * UTC.hour
        guard latest > earliest else { return [] }
        var taken = busy
        var gaps: [ShortGap] = []
        for gateway in gateways {
            for _ in 0..<100 {
                let t = earliest + rng.int(below: latest - earliest)
                let ofDay = t - UTC.startOfDay(t)
                let nearMidnight = ofDay < 30 * UTC.minute || ofDay > UTC.day - 45 * UTC.minute
                guard !nearMidnight, taken.allSatisfy({ abs($0 - t) > 3 * UTC.hour }) else { continue }
                gaps.append(ShortGap(gateway: gateway, from: t, missed: Int(rng.int(in: 2...10))))
                taken.append(t)
                break
            }
        }
        return gaps.sorted { $0.from < $1.from }
    }
}
