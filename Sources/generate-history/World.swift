/// A model a gateway serves, with its share of the gateway's traffic and when it became available.
struct ServedModel {
    let model: Int
    /// Share of the gateway's base request rate (shares need not add up to 1).
    let weight: Double
    let availableFrom: Millis?
}

/// One simulated agentgateway data plane.
struct Gateway {
    /// The `gateway` label: `namespace/name`.
    let name: String
    /// The Deployment name, which prefixes its pod names.
    let deployment: String
    var scrapeInterval: Millis
    /// Whether it exports `agentgateway_gen_ai_client_cost_usd_total`.
    let exportsCost: Bool
    /// Mean requests on an ordinary weekday, before the day's random factor.
    let weekdayRequests: Double
    let served: [ServedModel]
    /// Pods serving at once (the sample world has one per gateway; `--replicas` scales it).
    var replicas = 1
}

/// A burst of extra traffic (a runaway agent) on one gateway and model.
struct Spike {
    let gateway: Int
    let model: Int
    let from: Millis
    let to: Millis
    let requestsPerMinute: Double
}

/// The fixed facts of the simulated world: gateways, their traffic and the scheduled incidents.
enum World {
    /// The month the incidents fall in: `--incident-month`, else the first whole UTC month after
    /// `--start` (October 2026 for the default start, 2026-09-26). Set by ``configure(_:)``.
    nonisolated(unsafe) static var month = (start: UTC.millis(2026, 10, 1), end: UTC.millis(2026, 11, 1))

    /// A time in the incident month: `day` is the day of the month (1-based).
    static func inMonth(_ day: Int64, _ hour: Int64 = 0, _ minute: Int64 = 0) -> Millis {
        month.start + (day - 1) * UTC.day + hour * UTC.hour + minute * UTC.minute
    }

    /// The first whole UTC month from `start` on, as `[start, end)`.
    static func month(after start: Millis) -> (start: Millis, end: Millis) {
        let civil = UTC.civilFromDays(UTC.floorDiv(start, UTC.day))
        var year = civil.year
        var month = civil.month
        if civil.day != 1 || start % UTC.day != 0 { (year, month) = month == 12 ? (year + 1, 1) : (year, month + 1) }
        let next = month == 12 ? (year + 1, Int64(1)) : (year, month + 1)
        return (UTC.millis(year, month, 1), UTC.millis(next.0, next.1, 1))
    }

    static var gateway3SonnetFrom: Millis { inMonth(12, 10) }

    /// The gateways of this run: the three sample gateways, widened by ``configure(_:)`` for `--gateways`,
    /// `--replicas` and `--scrape-interval`. Set once, before anything else reads it.
    nonisolated(unsafe) static var gateways: [Gateway] = sampleGateways

    /// The three sample gateways.
    static var sampleGateways: [Gateway] {
        [
            Gateway(
                name: "kgateway-system/agentgateway1", deployment: "agentgateway1",
                scrapeInterval: 30 * UTC.second, exportsCost: true, weekdayRequests: 2_900,
                served: [
                    ServedModel(model: Catalog.haiku, weight: 0.8, availableFrom: nil),
                    ServedModel(model: Catalog.sonnet, weight: 0.2, availableFrom: nil),
                ]),
            Gateway(
                name: "kgateway-system/agentgateway2", deployment: "agentgateway2",
                scrapeInterval: 45 * UTC.second, exportsCost: false, weekdayRequests: 1_310,
                served: [
                    ServedModel(model: Catalog.sonnet, weight: 0.4, availableFrom: nil),
                    ServedModel(model: Catalog.gpt4o, weight: 0.6, availableFrom: nil),
                ]),
            Gateway(
                name: "kgateway-system/agentgateway3", deployment: "agentgateway3",
                scrapeInterval: 60 * UTC.second, exportsCost: false, weekdayRequests: 2_330,
                served: [
                    ServedModel(model: Catalog.haiku, weight: 0.72, availableFrom: nil),
                    ServedModel(model: Catalog.gpt4o, weight: 0.28, availableFrom: nil),
                    ServedModel(model: Catalog.sonnet, weight: 0.07, availableFrom: gateway3SonnetFrom),
                ]),
        ]
    }

    /// Applies the scale options: extra gateways serving all three models, more pods per gateway,
    /// one scrape interval for all. The defaults leave the sample world (and its files) unchanged.
    static func configure(_ options: Options) {
        month = month(after: options.incidentMonth ?? options.start)
        spikes = spikeList()
        var list = sampleGateways
        for index in sampleGateways.count..<max(options.gateways, sampleGateways.count) {
            let rotate = index % 3
            let weights = [[0.5, 0.3, 0.2], [0.2, 0.5, 0.3], [0.3, 0.2, 0.5]][rotate]
            list.append(
                Gateway(
                    name: "kgateway-system/agentgateway\(index + 1)", deployment: "agentgateway\(index + 1)",
                    scrapeInterval: 30 * UTC.second, exportsCost: false,
                    weekdayRequests: 1_500 + 250 * Double(index % 7),
                    served: [
                        ServedModel(model: Catalog.haiku, weight: weights[0], availableFrom: nil),
                        ServedModel(model: Catalog.sonnet, weight: weights[1], availableFrom: nil),
                        ServedModel(model: Catalog.gpt4o, weight: weights[2], availableFrom: nil),
                    ]))
        }
        for index in list.indices {
            list[index].replicas = options.replicas
            if let seconds = options.scrapeIntervalSeconds { list[index].scrapeInterval = Millis(seconds) * UTC.second }
        }
        gateways = list
    }

    /// The three days of the month that pass $50: each a few hours of runaway agent traffic.
    /// Read once a minute per model by the traffic model, so kept rather than computed; set by ``configure(_:)``.
    nonisolated(unsafe) static var spikes: [Spike] = spikeList()

    private static func spikeList() -> [Spike] {
        [
            Spike(gateway: 0, model: Catalog.sonnet, from: inMonth(7, 9), to: inMonth(7, 15), requestsPerMinute: 12),
            Spike(gateway: 1, model: Catalog.gpt4o, from: inMonth(15, 13), to: inMonth(15, 19), requestsPerMinute: 18),
            Spike(gateway: 2, model: Catalog.sonnet, from: inMonth(23, 8), to: inMonth(23, 14), requestsPerMinute: 12),
        ]
    }

    /// agentgateway1's container restarts (counters reset, same pod) around this minute.
    static var restart: (gateway: Int, around: Millis) { (0, inMonth(9, 14, 23)) }
    /// agentgateway2's pod is replaced by a new one around this minute.
    static var podReplacement: (gateway: Int, around: Millis, drain: Millis) {
        (1, inMonth(17, 3, 10), 60 * UTC.second)
    }
    /// Long scrape gaps: one overnight, and an outage across the end of the month.
    static var windows: [GapWindow] {
        [
            GapWindow(kind: .gap, gateway: 1, from: inMonth(21, 22, 30), to: inMonth(22, 1, 30)),
            GapWindow(kind: .outage, gateway: 0, from: month.end - 40 * UTC.minute, to: month.end + 40 * UTC.minute),
        ]
    }
    /// How many short random gaps (2–10 missed scrapes each) to spread over a 36+ day history.
    static let shortGapCount = 6
}
