/// One simulated LLM request through a gateway.
struct SimulatedRequest {
    let time: Millis
    let model: Int
    let tokens: TokenCounts
    let cost: MicroCents
}

/// Draws each gateway's requests as a Poisson process whose rate is constant within a minute.
struct RequestGenerator {
    let start: Millis
    let end: Millis
    let seed: UInt64
    let traffic: TrafficModel

    /// All requests of gateway `gateway` in [start, end), in time order.
    func requests(gateway: Int) -> [SimulatedRequest] {
        var rng = SplitMix64(seed: seed, stream: 100 + UInt64(gateway))
        let spec = World.gateways[gateway]
        var result: [SimulatedRequest] = []
        result.reserveCapacity(Int(Double(end - start) / Double(UTC.day) * spec.weekdayRequests * 1.2))
        var batch: [SimulatedRequest] = []
        var minute = start
        while minute < end {
            batch.removeAll(keepingCapacity: true)
            for served in spec.served {
                let count = rng.poisson(mean: traffic.meanRequests(gateway: gateway, served: served, minute: minute))
                for _ in 0..<count {
                    let time = minute + rng.int(below: UTC.minute)
                    let model = Catalog.models[served.model]
                    let tokens = Self.tokens(for: model, rng: &rng)
                    guard time < end, time >= (served.availableFrom ?? time) else { continue }
                    batch.append(
                        SimulatedRequest(
                            time: time, model: served.model, tokens: tokens,
                            cost: model.cost(of: tokens)))
                }
            }
            batch.sort { ($0.time, $0.model) < ($1.time, $1.model) }
            result.append(contentsOf: batch)
            minute += UTC.minute
        }
        return result
    }

    /// Realistic token counts for one request; OpenAI's cached tokens are part of its input.
    static func tokens(for model: Model, rng: inout SplitMix64) -> TokenCounts {
        let p = model.tokens
        var counts = TokenCounts()
        counts[.input] = rng.logNormalCount(median: p.inputMedian, sigma: p.inputSigma, limits: 1...150_000)
        counts[.output] = rng.logNormalCount(median: p.outputMedian, sigma: p.outputSigma, limits: 1...8_192)
        if model.inputIncludesCacheRead {
            // OpenAI caches prompts of 1,024+ tokens in steps of 128.
            let input = counts[.input]
            if input >= 1_024, rng.chance(p.cacheReadChance) {
                counts[.cacheRead] = 1_024 + 128 * rng.int(below: (input - 1_024) / 128 + 1)
            }
        } else {
            if rng.chance(p.cacheReadChance) {
                counts[.cacheRead] = rng.logNormalCount(median: p.cacheReadMedian, sigma: 0.7, limits: 1...150_000)
            }
            if rng.chance(p.cacheWriteChance) {
                counts[.cacheWrite] = rng.logNormalCount(median: p.cacheWriteMedian, sigma: 0.6, limits: 1...100_000)
            }
        }
        return counts
    }
}
