import Foundation

/// Gathers faults.json from the plan and from what the simulation actually did.
struct FaultReportBuilder {
    let seed: UInt64
    let start: Millis
    let end: Millis
    let plan: FaultPlan
    let schedules: [ScrapeSchedule]
    let runtimes: [GatewayRuntime]
    let requests: [[SimulatedRequest]]

    func build() -> FaultReport {
        var faults: [FaultReport.Fault] = []
        if let restart = restartFault() { faults.append(restart) }
        if let replaced = replacementFault() { faults.append(replaced) }
        faults += seriesStartedFaults()
        faults += schedules.flatMap { $0.gaps.map(gapFault) }
        return FaultReport(
            seed: seed, start: stamp(start), end: stamp(end),
            gateways: World.gateways.indices.map(gatewayInfo), faults: faults.chronological())
    }

    private func gatewayInfo(_ g: Int) -> FaultReport.GatewayInfo {
        let spec = World.gateways[g]
        let schedule = schedules[g]
        return FaultReport.GatewayInfo(
            gateway: spec.name, pods: plan.pods[g], models: spec.served.map { Catalog.models[$0.model].id },
            exportsCost: spec.exportsCost, scrapeIntervalSeconds: Int(spec.scrapeInterval / UTC.second),
            scrapePhaseMs: schedule.phase, scrapeJitterMaxMs: ScrapeSchedule.maxJitter,
            scrapes: schedule.times.count, firstScrape: stampIfAny(schedule.times.first),
            lastScrape: stampIfAny(schedule.times.last))
    }

    /// The pod receiving traffic on gateway `g` at `time`.
    private func pod(_ g: Int, at time: Millis) -> String {
        if let r = plan.replacement, r.gateway == g, time >= r.time { return plan.pods[g][World.gateways[g].replicas] }
        return plan.pods[g][0]
    }

    private func restartFault() -> FaultReport.Fault? {
        guard let plan = plan.restart, let seen = runtimes[plan.gateway].restartObservation else { return nil }
        var fault = FaultReport.Fault(kind: .reset, gateway: plan.gateway, pod: seen.pod, time: seen.time)
        fault.lastScrapeBefore = stampIfAny(seen.lastScrapeBefore)
        fault.firstScrapeAfter = stampIfAny(seen.firstScrapeAfter)
        var unscraped: [FaultReport.Unscraped] = []
        var lostCost: MicroCents = 0
        for (slot, amount) in seen.lost {
            let model = slot / PodCounters.kindsPerModel
            let kind = slot % PodCounters.kindsPerModel
            if kind == PodCounters.costKind {
                lostCost += amount
                continue
            }
            let type = TokenType.allCases[kind]
            unscraped.append(.init(model: Catalog.models[model].id, tokenType: type.label, tokens: amount))
        }
        fault.unscraped = unscraped
        if World.gateways[plan.gateway].exportsCost {
            fault.unscrapedCostUsd = Decimal(lostCost) / Decimal(100_000_000)
        }
        return fault
    }

    private func replacementFault() -> FaultReport.Fault? {
        guard let r = plan.replacement else { return nil }
        let pods = runtimes[r.gateway].allPods
        let replicas = World.gateways[r.gateway].replicas
        guard pods.count == replicas + 1 else { return nil }
        var fault = FaultReport.Fault(kind: .podReplaced, gateway: r.gateway, pod: pods[replicas].name, time: r.time)
        fault.oldPod = pods[0].name
        fault.oldPodLastScrape = stampIfAny(pods[0].lastWritten)
        fault.oldPodStopped = stamp(r.stop)
        fault.firstScrapeAfter = stampIfAny(pods[replicas].firstWritten.compactMap { $0 }.min())
        return fault
    }

    /// Sonnet appearing on agentgateway3: one entry with the first sample of each new series.
    private func seriesStartedFaults() -> [FaultReport.Fault] {
        var faults: [FaultReport.Fault] = []
        for (g, spec) in World.gateways.enumerated() {
            for served in spec.served {
                guard let from = served.availableFrom, from >= start, from < end else { continue }
                let first = requests[g].first { $0.model == served.model }
                var series: [FaultReport.SeriesStart] = []
                for type in TokenType.allCases {
                    let slot = served.model * PodCounters.kindsPerModel + type.rawValue
                    let written = runtimes[g].allPods.compactMap { $0.firstWritten[slot] }.min()
                    if let written { series.append(.init(tokenType: type.label, firstSample: stamp(written))) }
                }
                var fault = FaultReport.Fault(kind: .seriesStarted, gateway: g, pod: pod(g, at: from), time: from)
                fault.model = Catalog.models[served.model].id
                fault.firstRequest = stampIfAny(first?.time)
                fault.firstScrapeAfter = series.map(\.firstSample).min()
                fault.series = series
                faults.append(fault)
            }
        }
        return faults
    }

    private func gapFault(_ gap: ObservedGap) -> FaultReport.Fault {
        var fault = FaultReport.Fault(
            kind: gap.kind, gateway: gap.gateway, pod: pod(gap.gateway, at: gap.from),
            time: gap.from)
        fault.end = stamp(gap.to)
        fault.missedScrapes = gap.missedScrapes
        fault.lastScrapeBefore = stampIfAny(gap.lastScrapeBefore)
        fault.firstScrapeAfter = stampIfAny(gap.firstScrapeAfter)
        return fault
    }
}
