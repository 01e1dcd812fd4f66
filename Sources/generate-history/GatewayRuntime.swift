/// What a container restart destroyed before anyone scraped it.
struct RestartObservation {
    let time: Millis
    let pod: String
    let lastScrapeBefore: Millis?
    var firstScrapeAfter: Millis?
    /// Tokens (or micro-cents for cost slots) counted after the last scrape and lost, per slot.
    let lost: [(slot: Int, amount: Int64)]
}

/// One gateway over time: its pods, its request stream and its lifecycle events.
final class GatewayRuntime {
    private enum Event {
        case restart
        case startPod(String)
        case stopOldestPod
    }

    let index: Int
    /// Pods sharing the traffic: requests go round-robin to the newest `replicas` live pods.
    private let replicas: Int
    private let requests: [SimulatedRequest]
    private var nextRequest = 0
    private var events: [(time: Millis, event: Event)] = []
    private var nextEvent = 0
    private var lastScrape: Millis?
    /// Live pods, oldest first; requests go to the newest `replicas` of them.
    private(set) var pods: [PodCounters]
    /// Every pod this gateway ever had, oldest first.
    private(set) var allPods: [PodCounters]
    private(set) var restartObservation: RestartObservation?

    init(index: Int, requests: [SimulatedRequest], plan: FaultPlan) {
        self.index = index
        self.requests = requests
        replicas = World.gateways[index].replicas
        let first = plan.pods[index][..<replicas].map { PodCounters(name: $0, gateway: index) }
        pods = first
        allPods = first
        if let restart = plan.restart, restart.gateway == index {
            events.append((restart.time, .restart))
        }
        if let replacement = plan.replacement, replacement.gateway == index {
            events.append((replacement.time, .startPod(plan.pods[index][replicas])))
            events.append((replacement.stop, .stopOldestPod))
        }
        events.sort { $0.time < $1.time }
    }

    /// Applies every request and lifecycle event before `time` (an event precedes a request at its instant).
    func advance(to time: Millis) {
        while true {
            let eventTime = nextEvent < events.count ? events[nextEvent].time : Millis.max
            let requestTime = nextRequest < requests.count ? requests[nextRequest].time : Millis.max
            if eventTime <= requestTime, eventTime < time {
                apply(events[nextEvent].event, at: eventTime)
                nextEvent += 1
            } else if requestTime < time {
                let serving = min(replicas, pods.count)
                pods[pods.count - serving + nextRequest % serving].record(requests[nextRequest])
                nextRequest += 1
            } else {
                return
            }
        }
    }

    /// Writes one scrape of every live pod.
    func scrape(at time: Millis, to writer: OpenMetricsWriter) throws {
        for pod in pods { try pod.scrape(at: time, to: writer) }
        if var seen = restartObservation, seen.firstScrapeAfter == nil {
            seen.firstScrapeAfter = time
            restartObservation = seen
        }
        lastScrape = time
    }

    private func apply(_ event: Event, at time: Millis) {
        switch event {
        case .restart:
            let pod = pods[pods.count - 1]
            restartObservation = RestartObservation(
                time: time, pod: pod.name, lastScrapeBefore: lastScrape,
                firstScrapeAfter: nil, lost: pod.restart())
        case .startPod(let name):
            let pod = PodCounters(name: name, gateway: index)
            pods.append(pod)
            allPods.append(pod)
        case .stopOldestPod:
            pods.removeFirst()
        }
    }
}
