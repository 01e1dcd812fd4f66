/// The counters one pod exports: created lazily on the first request that touches them,
/// lost (reset) when its container restarts.
final class PodCounters {
    /// Series kinds per model: the four token types, then the cost counter.
    static let kindsPerModel = TokenType.allCases.count + 1
    static let costKind = TokenType.allCases.count

    let name: String
    let gateway: Int
    private let exportsCost: Bool
    /// Slots (`model * kindsPerModel + kind`) in the order they are written at each scrape.
    let order: [Int]
    private var prefixes: [[UInt8]]
    /// Current value per slot; nil until the series exists.
    private(set) var values: [Int64?]
    /// The value each slot had at the last scrape that wrote it (0 if never written since a reset).
    private(set) var lastScraped: [Int64]
    /// When each slot was first written.
    private(set) var firstWritten: [Millis?]
    private(set) var lastWritten: Millis?

    init(name: String, gateway: Int) {
        self.name = name
        self.gateway = gateway
        let spec = World.gateways[gateway]
        exportsCost = spec.exportsCost
        let slotCount = Catalog.models.count * Self.kindsPerModel
        prefixes = Array(repeating: [], count: slotCount)
        values = Array(repeating: nil, count: slotCount)
        lastScraped = Array(repeating: 0, count: slotCount)
        firstWritten = Array(repeating: nil, count: slotCount)
        var order: [Int] = []
        for served in spec.served {
            let model = Catalog.models[served.model]
            let base = served.model * Self.kindsPerModel
            for type in TokenType.allCases where model.centsPerMillion[type.rawValue] != nil {
                prefixes[base + type.rawValue] = OpenMetricsWriter.seriesPrefix(
                    metric: Catalog.tokenMetric,
                    labels: [
                        ("gateway", spec.name), ("gen_ai_system", model.system),
                        ("gen_ai_request_model", model.id), ("gen_ai_response_model", model.id),
                        ("gen_ai_token_type", type.label), ("namespace", Catalog.namespace),
                        ("pod", name), ("job", Catalog.job),
                    ])
                order.append(base + type.rawValue)
            }
            if spec.exportsCost {
                prefixes[base + Self.costKind] = OpenMetricsWriter.seriesPrefix(
                    metric: Catalog.costMetric,
                    labels: [
                        ("gateway", spec.name), ("gen_ai_system", model.system), ("gen_ai_request_model", model.id),
                        ("namespace", Catalog.namespace), ("pod", name), ("job", Catalog.job),
                    ])
                order.append(base + Self.costKind)
            }
        }
        self.order = order
    }

    /// Counts one request.
    func record(_ request: SimulatedRequest) {
        let base = request.model * Self.kindsPerModel
        for type in TokenType.allCases where request.tokens[type] > 0 {
            values[base + type.rawValue] = (values[base + type.rawValue] ?? 0) + request.tokens[type]
        }
        if exportsCost, request.cost > 0 {
            values[base + Self.costKind] = (values[base + Self.costKind] ?? 0) + request.cost
        }
    }

    /// Writes every existing series at scrape time `time`.
    func scrape(at time: Millis, to writer: OpenMetricsWriter) throws {
        for slot in order {
            guard let value = values[slot] else { continue }
            if slot % Self.kindsPerModel == Self.costKind {
                try writer.sample(prefixes[slot], microCents: value, at: time)
            } else {
                try writer.sample(prefixes[slot], integer: value, at: time)
            }
            lastScraped[slot] = value
            if firstWritten[slot] == nil { firstWritten[slot] = time }
            lastWritten = time
        }
    }

    /// The container restarts: all counters vanish until the next request recreates them.
    /// Returns what was counted since the last scrape and is now lost, per slot.
    func restart() -> [(slot: Int, amount: Int64)] {
        var lost: [(slot: Int, amount: Int64)] = []
        for slot in order {
            if let value = values[slot], value > lastScraped[slot] { lost.append((slot, value - lastScraped[slot])) }
            values[slot] = nil
            lastScraped[slot] = 0
        }
        return lost
    }

    /// How many series this pod has written.
    var seriesWritten: Int { firstWritten.lazy.filter { $0 != nil }.count }

    /// How many token-counter series (not cost series) this pod has written.
    var tokenSeriesWritten: Int {
        firstWritten.indices.lazy.filter { self.firstWritten[$0] != nil && $0 % Self.kindsPerModel != Self.costKind }
            .count
    }
}
