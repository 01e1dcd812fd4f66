import Foundation

/// `--users N`: a per-user world for cardinality benchmarks and tests.
///
/// The three sample gateways (one pod each, no incidents) serve all three models to N users, and
/// every token counter carries a `user_id` label, as agentgateway adds a `metrics.fields.add`
/// field (a JWT claim) to its `GenAILabels`: one series per gateway × model × token type (input,
/// output) × user, so up to 18 N series. A series is born with the user's first request on that
/// gateway and model (lazily, as agentgateway creates it); a quarter of the users join during the
/// history, so series are born all the time. Scrapes every 60 s (`--scrape-interval`), gateway g
/// offset by 7 g + 3 s. A request is always made in the same UTC hour as the scrape that first
/// shows it, so the hourly truth is exactly what the samples show.
///
/// Every token series has its histogram's `_count` beside its `_sum`, as agentgateway exports them:
/// one observation per request and token type, so a request counts once in each type's `_count`.
///
/// Writes history.om (or parts), truth.csv (per hour, gateway, model and token type, as the
/// sample world), truth-users.csv (tokens per UTC day, gateway, model, token type and user) and,
/// with `--hourly-truth`, truth-users-hourly.csv (``UserHourTruth``: tokens and requests per hour).
struct UserWorld {
    let options: Options

    /// The label agentgateway's `metrics.fields.add` adds here.
    static let userLabel = "user_id"
    static let tokenTypes: [TokenType] = [.input, .output]

    /// `user-00042`: the user's label value (1-based, zero-padded to five digits).
    static func userName(_ index: Int) -> String {
        let digits = String(index + 1)
        return "user-" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits
    }

    func run() throws {
        let clock = ContinuousClock()
        let began = clock.now
        let start = options.start
        let end = start + Millis(options.days) * UTC.day
        let interval = Millis(options.scrapeIntervalSeconds ?? 60) * UTC.second
        try FileManager.default.createDirectory(atPath: options.outputDirectory, withIntermediateDirectories: true)
        let gateways = World.sampleGateways
        let models = Catalog.models.indices
        let users = options.users
        let pairs = gateways.count * models.count

        // Each user: a join time (a quarter join during the history), a rate and a taste per pair.
        var rng = SplitMix64(seed: options.seed, stream: 900)
        var joins: [Millis] = []
        var rates: [Double] = []
        for _ in 0..<users {
            joins.append(rng.chance(0.25) ? start + rng.int(below: end - start) : start)
            let perDay = rng.logNormalCount(median: 40, sigma: 1.0, limits: 1...2_000)
            for _ in 0..<pairs { rates.append(Double(perDay) * (0.2 + rng.unit()) / Double(pairs) / 1_440) }
        }
        let pods = gateways.indices.map { g in
            "\(gateways[g].deployment)-\(Self.hex(rng.next(), 10))-\(Self.hex(rng.next(), 5))"
        }
        // prefixes[((g * models + m) * users + u) * 2 + t], built when the series is born.
        var prefixes = [[UInt8]?](repeating: nil, count: pairs * users * 2)
        var values = [Int64](repeating: 0, count: pairs * users * 2)
        // The histogram's `_count` of each series: one per request.
        var countPrefixes = [[UInt8]?](repeating: nil, count: pairs * users * 2)
        var counts = [Int64](repeating: 0, count: pairs * users * 2)
        let hourTruth =
            options.hourlyTruth
            ? try UserHourTruth(path: path("truth-users-hourly.csv"), gatewayNames: gateways.map(\.name), users: users)
            : nil
        var born: [[Int]] = Array(repeating: [], count: gateways.count)
        let firstDay = UTC.startOfDay(start)
        let dayCount = Int(UTC.floorDiv(end - 1 - firstDay, UTC.day)) + 1
        var perUserDay = [Int64](repeating: 0, count: dayCount * pairs * users * 2)
        var truth = GroundTruth(start: start, end: end)

        let writer =
            options.partHours > 0
            ? try OpenMetricsWriter(
                partsIn: path("parts"), partHours: options.partHours, maxPending: options.maxPending)
            : try OpenMetricsWriter(path: path("history.om"))
        var requestCount = 0
        var tick = start
        while tick < end {
            try hourTruth?.flush(before: tick)
            let shape = TrafficModel.shape(Double(tick - UTC.startOfDay(tick)) / Double(UTC.hour))
            for g in gateways.indices {
                let time = tick + Millis(7 * g + 3) * UTC.second
                guard time < end else { continue }
                // Requests since the last scrape, kept inside the scrape's hour.
                let from = max(time - interval, UTC.floorDiv(time, UTC.hour) * UTC.hour, start)
                let minutes = Double(time - from) / Double(UTC.minute)
                let day = Int(UTC.floorDiv(from - firstDay, UTC.day))
                for m in models {
                    let model = Catalog.models[m]
                    let pair = g * models.count + m
                    for u in 0..<users where joins[u] <= from {
                        let count = rng.poisson(mean: rates[u * pairs + pair] * shape * minutes)
                        guard count > 0 else { continue }
                        let slot = (pair * users + u) * 2
                        for _ in 0..<count {
                            var tokens = RequestGenerator.tokens(for: model, rng: &rng)
                            tokens.cacheRead = 0
                            tokens.cacheWrite = 0
                            let at = from + rng.int(below: max(1, time - from))
                            truth.record(SimulatedRequest(time: at, model: m, tokens: tokens, cost: 0), gateway: g)
                            hourTruth?.record(
                                at: at, pair: pair, user: u, input: tokens[.input], output: tokens[.output])
                            for (t, type) in Self.tokenTypes.enumerated() {
                                values[slot + t] += tokens[type]
                                counts[slot + t] += 1
                                perUserDay[(day * pairs * users + pair * users + u) * 2 + t] += tokens[type]
                            }
                            requestCount += 1
                        }
                        if prefixes[slot] == nil {
                            for (t, type) in Self.tokenTypes.enumerated() {
                                let labels = [
                                    ("gateway", gateways[g].name), ("gen_ai_system", model.system),
                                    ("gen_ai_request_model", model.id), ("gen_ai_response_model", model.id),
                                    ("gen_ai_token_type", type.label), (Self.userLabel, Self.userName(u)),
                                    ("namespace", Catalog.namespace), ("pod", pods[g]), ("job", Catalog.job),
                                ]
                                prefixes[slot + t] = OpenMetricsWriter.seriesPrefix(
                                    metric: Catalog.tokenMetric, labels: labels)
                                countPrefixes[slot + t] = OpenMetricsWriter.seriesPrefix(
                                    metric: Catalog.requestMetric, labels: labels)
                                born[g].append(slot + t)
                            }
                        }
                    }
                }
                for slot in born[g] {
                    try writer.sample(prefixes[slot]!, integer: values[slot], at: time)
                    try writer.sample(countPrefixes[slot]!, integer: counts[slot], at: time)
                }
            }
            tick += interval
        }
        try writer.close()
        try hourTruth?.close()
        try truth.writeCSV(to: path("truth.csv"))
        try writeUserTruth(perUserDay, gateways: gateways, users: users, days: dayCount)
        let series = born.reduce(0) { $0 + $1.count }
        printError(
            "generate-history: \(users) users, \(requestCount) requests, \(series) series, "
                + "\(writer.sampleCount) samples, \(writer.byteCount) bytes; " + Generator.seconds(clock.now - began))
    }

    /// truth-users.csv: `day,gateway,model,token_type,user_id,tokens`, nonzero rows, ordered by day,
    /// gateway, model, token type (input, output), then user.
    private func writeUserTruth(_ tokens: [Int64], gateways: [Gateway], users: Int, days: Int) throws {
        let file = try BufferedFile(path: path("truth-users.csv"))
        try file.write("day,gateway,model,token_type,\(Self.userLabel),tokens\n")
        let pairs = gateways.count * Catalog.models.count
        for day in 0..<days {
            let dayText = UTC.dateString(UTC.startOfDay(options.start) + Millis(day) * UTC.day)
            for g in gateways.indices {
                for m in Catalog.models.indices {
                    let pair = g * Catalog.models.count + m
                    for (t, type) in Self.tokenTypes.enumerated() {
                        let prefix = "\(dayText),\(gateways[g].name),\(Catalog.models[m].id),\(type.label),"
                        for u in 0..<users {
                            let value = tokens[(day * pairs * users + pair * users + u) * 2 + t]
                            if value > 0 { try file.write(prefix + "\(Self.userName(u)),\(value)\n") }
                        }
                    }
                }
            }
        }
        try file.close()
    }

    private static func hex(_ value: UInt64, _ width: Int) -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        var value = value
        return String(
            (0..<width).map { _ in
                defer { value /= UInt64(alphabet.count) }
                return alphabet[Int(value % UInt64(alphabet.count))]
            })
    }

    private func path(_ name: String) -> String {
        (options.outputDirectory as NSString).appendingPathComponent(name)
    }
}
