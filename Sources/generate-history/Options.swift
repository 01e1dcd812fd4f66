/// A command-line mistake: reported with the usage text and exit code 64.
struct UsageError: Error, CustomStringConvertible {
    let description: String
}

/// The parsed command line.
struct Options {
    static let usage = """
        usage: generate-history --out DIR [--start 2026-09-26T00:00:00Z] [--days 40] [--seed 42] [--verbose]
                                [--incident-month 2026-10]
                                [--gateways 3] [--replicas 1] [--scrape-interval SECONDS]
                                [--part-hours H [--max-pending 2]] [--users N [--hourly-truth]]

        Writes DIR/history.om (OpenMetrics for promtool), DIR/truth.csv (exact tokens per UTC hour,
        gateway, model and token type) and DIR/faults.json (resets, pod changes, new series, scrape gaps).
        The same arguments always produce byte-identical files. --verbose prints the daily cost to stderr.
        The incidents (spikes, a reset, a replaced pod, a new series, gaps, an outage across the month
        end) fall in the first whole UTC month from --start on: October 2026 for the default start;
        --incident-month puts them into another month of the history (the demo's reported month).

        Scale (for benchmarks): --gateways N adds gateways agentgateway4..N serving all three models
        (30 s scrapes); --replicas R gives every gateway R pods sharing its traffic (token series
        ≈ R × (26 + 11 × (N − 3))); --scrape-interval sets one interval for every gateway.
        --part-hours H writes the history as DIR/parts/history-NNNNN.om instead, one file per H hours
        aligned to the Unix epoch (use 2 × 3^k, the block sizes of promtool, e.g. 54, so each file
        becomes exactly one block), each complete once renamed to .om; with --max-pending K it waits
        while K finished files are still there (an importer deletes them), so disk use stays bounded.

        Per user (for cardinality): --users N writes another world instead: the three gateways serve
        all three models to N users, and every token counter has a user_id label (agentgateway's
        metrics.fields.add): up to 3 gateways × 3 models × 2 token types (input, output) × N series,
        each born with the user's first request there (a quarter of the users join during the history),
        60 s scrapes (--scrape-interval), no incidents. It writes history.om (or parts), truth.csv, and
        truth-users.csv (tokens per UTC day, gateway, model, token type and user_id). Each token series
        has its histogram's _count beside it (one observation per request and token type); with
        --hourly-truth also truth-users-hourly.csv (input, output tokens and requests per UTC hour,
        gateway, model and user_id).
        """

    var outputDirectory = ""
    var start: Millis = UTC.millis(2026, 9, 26)
    /// The first instant of the month the incidents fall in; `nil`: the first whole month from `start`.
    var incidentMonth: Millis?
    var days = 40
    var seed: UInt64 = 42
    var verbose = false
    var help = false
    var gateways = 3
    var replicas = 1
    var scrapeIntervalSeconds: Int?
    var partHours = 0
    var maxPending = 0
    /// `--users N`: the per-user world (``UserWorld``) with N users; 0: the sample world.
    var users = 0
    /// `--hourly-truth`: the per-user world also writes truth-users-hourly.csv.
    var hourlyTruth = false

    /// Parses the arguments after the program name.
    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        var rest = arguments[...]
        func value(_ flag: String) throws -> String {
            guard let value = rest.popFirst() else { throw UsageError(description: "\(flag) needs a value") }
            return value
        }
        func int(_ flag: String, _ range: ClosedRange<Int>) throws -> Int {
            let text = try value(flag)
            guard let number = Int(text), range.contains(number) else {
                throw UsageError(
                    description: "\(flag): expected \(range.lowerBound)...\(range.upperBound), got \(text)")
            }
            return number
        }
        while let argument = rest.popFirst() {
            var flag = argument
            if let equals = argument.firstIndex(of: "="), argument.hasPrefix("--") {
                flag = String(argument[..<equals])
                rest.insert(String(argument[argument.index(after: equals)...]), at: rest.startIndex)
            }
            switch flag {
            case "--out": options.outputDirectory = try value(flag)
            case "--start":
                let text = try value(flag)
                guard let start = UTC.parse(text) else {
                    throw UsageError(description: "--start: not an RFC 3339 time: \(text)")
                }
                options.start = start
            case "--days":
                let text = try value(flag)
                guard let days = Int(text), (1...400).contains(days) else {
                    throw UsageError(description: "--days: expected 1...400, got \(text)")
                }
                options.days = days
            case "--incident-month":
                let text = try value(flag)
                let parts = text.split(separator: "-")
                guard parts.count == 2, let year = Int64(parts[0]), let month = Int64(parts[1]),
                    (1...12).contains(month),
                    (1970...9999).contains(year)
                else { throw UsageError(description: "--incident-month: expected a month like 2026-10, got \(text)") }
                options.incidentMonth = UTC.millis(year, month, 1)
            case "--seed":
                let text = try value(flag)
                guard let seed = UInt64(text) else { throw UsageError(description: "--seed: not an integer: \(text)") }
                options.seed = seed
            case "--gateways": options.gateways = try int(flag, 3...500)
            case "--replicas": options.replicas = try int(flag, 1...100)
            case "--scrape-interval": options.scrapeIntervalSeconds = try int(flag, 1...3600)
            case "--part-hours": options.partHours = try int(flag, 2...100_000)
            case "--max-pending": options.maxPending = try int(flag, 1...1_000)
            case "--users": options.users = try int(flag, 1...100_000)
            case "--hourly-truth": options.hourlyTruth = true
            case "--verbose", "-v": options.verbose = true
            case "--help", "-h": options.help = true
            default: throw UsageError(description: "unknown argument: \(argument)")
            }
        }
        if !options.help, options.outputDirectory.isEmpty { throw UsageError(description: "--out is required") }
        if let month = options.incidentMonth {
            let end = World.month(after: month).end
            guard month >= options.start, end <= options.start + Int64(options.days) * UTC.day else {
                throw UsageError(description: "--incident-month: the month must lie inside --start and --days")
            }
        }
        return options
    }
}
