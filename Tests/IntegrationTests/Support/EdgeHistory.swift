import Foundation

/// Small synthetic token histories whose truth is known to the token: processes that serve a
/// steady 10 tokens/s, scraped on a schedule of one's choosing, written as OpenMetrics for
/// promtool and VictoriaMetrics.
///
/// Times are whole seconds since 1970. A process's counter is 0 at its start and grows by its rate
/// until its end; a series is a label set scraped at the given times, reading one process.
enum EdgeHistory {
    static let metric = "agentgateway_gen_ai_client_token_usage_sum"
    static let rate: Int64 = 10

    /// A process serving `rate` tokens/s over `[start, end)`.
    struct Process: Hashable {
        let start: Int64
        let end: Int64

        /// The counter at `time`: 0 before the start, constant after the end.
        func value(at time: Int64) -> Int64 { EdgeHistory.rate * (min(max(time, start), end) - start) }

        /// Tokens served in `[from, to)`.
        func tokens(from: Int64, to: Int64) -> Int64 { EdgeHistory.rate * max(0, min(to, end) - max(from, start)) }
    }

    /// One scraped series: its labels and, per scrape time, the process it read.
    struct Series {
        let labels: [String: String]
        let samples: [(time: Int64, value: Int64)]
        /// The metric name: the token counter, or another family such as `agentgateway_build_info`.
        var metric = EdgeHistory.metric

        init(labels: [String: String], process: Process, times: [Int64]) {
            self.labels = labels
            samples = times.map { ($0, process.value(at: $0)) }
        }

        init(labels: [String: String], samples: [(time: Int64, value: Int64)]) {
            self.labels = labels
            self.samples = samples
        }
    }

    /// The series of one gateway and the processes behind them.
    struct Case {
        let gateway: String
        var processes: [Process] = []
        var series: [Series] = []
        /// What happens in the history, for a failure message.
        var notes = ""

        /// The tokens the processes served in each hour of `[from, to)` (`from` on an hour).
        func truth(from: Int64, hours: Int) -> [Int64] {
            (0..<hours).map { hour in
                let start = from + Int64(hour) * 3600
                return processes.reduce(0) { $0 + $1.tokens(from: start, to: start + 3600) }
            }
        }

        /// The labels of this gateway's series, with `labels` added or replaced.
        func labels(_ labels: [String: String] = [:]) -> [String: String] {
            [
                "namespace": "kgateway-system", "gateway": gateway, "gen_ai_request_model": "gpt-4o",
                "gen_ai_token_type": "input", "gen_ai_system": "openai",
                "pod": "\(gateway.split(separator: "/").last!)-0",
                "instance": "10.1.0.7:9090", "job": "kgateway-system/agentgateway",
            ].merging(labels) { $1 }
        }

        /// Adds a series reading `process` at `times`, labelled for this gateway plus `labels`.
        mutating func scrape(_ process: Process, at times: [Int64], labels: [String: String] = [:]) {
            if !processes.contains(process) { processes.append(process) }
            series.append(Series(labels: self.labels(labels), process: process, times: times))
        }
    }

    /// Scrape times from `from` through `to` (inclusive when on the step) every `every` seconds.
    static func times(from: Int64, to: Int64, every: Int64) -> [Int64] {
        Array(stride(from: from, through: to, by: Int64.Stride(every)))
    }

    /// Seconds since 1970 of an RFC 3339 UTC time.
    static func at(_ text: String) -> Int64 {
        Int64(ISO8601DateFormatter().date(from: text)!.timeIntervalSince1970)
    }

    /// The OpenMetrics text of all series of `cases`, one family per metric (the token counter
    /// first), samples in time order within each, ending in `# EOF`.
    static func openMetrics(_ cases: [Case]) -> String {
        let all = cases.flatMap(\.series)
        let metrics = [metric] + Set(all.map(\.metric)).subtracting([metric]).sorted()
        var text = ""
        for name in metrics {
            var lines: [(Int64, String)] = []
            for series in all where series.metric == name {
                let labels = series.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(
                    separator: ",")
                for sample in series.samples {
                    lines.append((sample.time, "\(name){\(labels)} \(sample.value) \(sample.time)"))
                }
            }
            guard !lines.isEmpty || name == metric else { continue }
            lines.sort { $0.0 < $1.0 }
            text += "# TYPE \(name) unknown\n" + lines.map { $0.1 + "\n" }.joined()
        }
        return text + "# EOF\n"
    }
}

/// A seeded random source (SplitMix64), so a failing random history can be made again.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
