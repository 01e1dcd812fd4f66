/// Replays all gateways' requests against their scrape schedules, writing every scrape in time order.
struct Simulator {
    let plan: FaultPlan
    let schedules: [ScrapeSchedule]

    /// Runs the whole history into `writer`; returns the gateways' final state for the fault report.
    func run(requests: [[SimulatedRequest]], writer: OpenMetricsWriter) throws -> [GatewayRuntime] {
        let runtimes = requests.indices.map { GatewayRuntime(index: $0, requests: requests[$0], plan: plan) }
        var heads = Array(repeating: 0, count: schedules.count)
        while true {
            var next: Int?
            for g in schedules.indices where heads[g] < schedules[g].times.count {
                if let n = next, schedules[n].times[heads[n]] <= schedules[g].times[heads[g]] { continue }
                next = g
            }
            guard let g = next else { break }
            let time = schedules[g].times[heads[g]]
            runtimes[g].advance(to: time)
            try runtimes[g].scrape(at: time, to: writer)
            heads[g] += 1
        }
        return runtimes
    }
}
