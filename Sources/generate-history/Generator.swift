import Foundation

/// Runs one generation: requests → ground truth, scrapes → history.om, incidents → faults.json.
struct Generator {
    let options: Options

    func run() throws {
        let clock = ContinuousClock()
        let began = clock.now
        let start = options.start
        let end = start + Millis(options.days) * UTC.day
        try createDirectory(options.outputDirectory)

        let traffic = TrafficModel(start: start, days: options.days, seed: options.seed)
        let generator = RequestGenerator(start: start, end: end, seed: options.seed, traffic: traffic)
        let requests = World.gateways.indices.map { generator.requests(gateway: $0) }
        var truth = GroundTruth(start: start, end: end)
        for (g, list) in requests.enumerated() { for request in list { truth.record(request, gateway: g) } }
        try truth.writeCSV(to: path("truth.csv"))
        try InvoiceWriter(truth: truth).write(into: path("invoices"))

        let plan = FaultPlan(start: start, end: end, seed: options.seed, requests: requests)
        let schedules = World.gateways.indices.map {
            ScrapeSchedule(gateway: $0, start: start, end: end, seed: options.seed, plan: plan)
        }
        let writer =
            options.partHours > 0
            ? try OpenMetricsWriter(
                partsIn: path("parts"), partHours: options.partHours, maxPending: options.maxPending)
            : try OpenMetricsWriter(path: path("history.om"))
        let runtimes = try Simulator(plan: plan, schedules: schedules).run(requests: requests, writer: writer)
        try writer.close()

        let report = FaultReportBuilder(
            seed: options.seed, start: start, end: end, plan: plan,
            schedules: schedules, runtimes: runtimes, requests: requests
        ).build()
        try report.write(to: path("faults.json"))

        if options.verbose { DailySummary(truth: truth).lines().forEach(printError) }
        let series = runtimes.reduce(0) { $0 + $1.allPods.reduce(0) { $0 + $1.seriesWritten } }
        let tokenSeries = runtimes.reduce(0) { $0 + $1.allPods.reduce(0) { $0 + $1.tokenSeriesWritten } }
        printError(
            "generate-history: \(requests.reduce(0) { $0 + $1.count }) requests, \(series) series "
                + "(\(tokenSeries) token counters), "
                + "\(writer.sampleCount) samples, \(writer.byteCount) bytes in "
                + (options.partHours > 0 ? "\(writer.fileCount) parts, " : "history.om, ")
                + "\(report.faults.count) faults; " + Self.seconds(clock.now - began))
    }

    /// `19.1 s`: a duration to a tenth of a second.
    static func seconds(_ duration: Duration) -> String {
        let components = duration.components
        let value = Double(components.seconds) + Double(components.attoseconds) / 1e18
        return String(format: "%.1f s", value)
    }

    private func path(_ name: String) -> String {
        (options.outputDirectory as NSString).appendingPathComponent(name)
    }

    private func createDirectory(_ directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw OutputError(description: "cannot create directory \(directory): \(error.localizedDescription)")
        }
    }
}

/// Writes one line to stderr.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
