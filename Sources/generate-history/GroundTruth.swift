/// Exact usage and cost per UTC hour, taken from the simulated requests (not from the scrapes).
struct GroundTruth {
    /// Start of the first UTC hour covered.
    let firstHour: Millis
    let hourCount: Int
    private let gatewayCount = World.gateways.count
    private let modelCount = Catalog.models.count
    private let typeCount = TokenType.allCases.count
    /// Tokens by [hour][gateway][model][token type], flattened.
    private var tokens: [Int64]
    /// Cost and request counts by [hour][gateway], flattened.
    private(set) var cost: [MicroCents]
    private(set) var requests: [Int]

    init(start: Millis, end: Millis) {
        firstHour = UTC.floorDiv(start, UTC.hour) * UTC.hour
        hourCount = Int(UTC.floorDiv(end - 1 - firstHour, UTC.hour)) + 1
        tokens = Array(repeating: 0, count: hourCount * gatewayCount * modelCount * typeCount)
        cost = Array(repeating: 0, count: hourCount * gatewayCount)
        requests = Array(repeating: 0, count: hourCount * gatewayCount)
    }

    /// Adds one request of `gateway`.
    mutating func record(_ request: SimulatedRequest, gateway: Int) {
        let hour = Int((request.time - firstHour) / UTC.hour)
        let base = ((hour * gatewayCount + gateway) * modelCount + request.model) * typeCount
        for type in TokenType.allCases { tokens[base + type.rawValue] += request.tokens[type] }
        cost[hour * gatewayCount + gateway] += request.cost
        requests[hour * gatewayCount + gateway] += 1
    }

    /// Tokens of one kind of one model on `gateway` in hour number `hour`.
    func tokens(hour: Int, gateway: Int, model: Int, type: TokenType) -> Int64 {
        tokens[((hour * gatewayCount + gateway) * modelCount + model) * typeCount + type.rawValue]
    }

    /// Cost of `gateway` in hour number `hour`.
    func cost(hour: Int, gateway: Int) -> MicroCents {
        cost[hour * gatewayCount + gateway]
    }

    /// Requests of `gateway` in hour number `hour`.
    func requests(hour: Int, gateway: Int) -> Int {
        requests[hour * gatewayCount + gateway]
    }

    /// Writes truth.csv: one row per hour × gateway × model × token type with nonzero tokens,
    /// ordered by hour, gateway, model id, then token type in `TokenType` order.
    func writeCSV(to path: String) throws {
        let file = try BufferedFile(path: path)
        try file.write("hour_start,gateway,model,token_type,tokens\n")
        let gatewayOrder = World.gateways.indices.sorted { World.gateways[$0].name < World.gateways[$1].name }
        let modelOrder = Catalog.models.indices.sorted { Catalog.models[$0].id < Catalog.models[$1].id }
        for hour in 0..<hourCount {
            let hourText = UTC.format(firstHour + Millis(hour) * UTC.hour)
            for gateway in gatewayOrder {
                for model in modelOrder {
                    let base = ((hour * gatewayCount + gateway) * modelCount + model) * typeCount
                    for type in TokenType.allCases where tokens[base + type.rawValue] > 0 {
                        try file.write(
                            "\(hourText),\(World.gateways[gateway].name),\(Catalog.models[model].id),"
                                + "\(type.label),\(tokens[base + type.rawValue])\n")
                    }
                }
            }
        }
        try file.close()
    }
}
