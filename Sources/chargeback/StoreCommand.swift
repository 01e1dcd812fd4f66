import ArgumentParser
import ChargebackCore
import Foundation

/// `chargeback store`: look into the usage store.
struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Look into the usage store that `collect` writes.",
        subcommands: [StoreStatusCommand.self]
    )
}

/// `chargeback store status`: what is stored and what the backend still holds.
struct StoreStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract:
            "Show what the usage store holds (hours, keys, missing stretches, changes, size) and where "
            + "Prometheus' data starts.",
        discussion: """
            Examples:
              chargeback store status --config chargeback.yaml
              chargeback store status --config chargeback.yaml --offline
            """
    )

    @OptionGroup var configOption: ConfigOption
    @OptionGroup var backend: BackendOptions

    @Flag(help: "Do not ask Prometheus where its data starts.")
    var offline = false

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let logger = LoggingSetup.bootstrap(logging)
        try await ErrorReporting.run {
            let config = try backend.apply(to: ConfigLoader.load(path: configOption.config))
            let (status, replacements) = try await StoreAccess.with(config) { store in
                (
                    try await store.status(),
                    try await store.replacements(in: Hour(startSeconds: 0)..<Hour(startSeconds: Int64.max / 4))
                )
            }
            var oldest: String? = nil
            if !offline {
                do {
                    oldest =
                        try await PrometheusClient.using(settings: config.prometheus, logger: logger) { client in
                            try await OldestData.find(client: client, config: config, before: Date())
                        }.map { "from about \($0.next)" }
                        ?? "no samples of \(config.metrics.tokens)"
                } catch {
                    oldest = "unreachable (\((error as? LocalizedError)?.errorDescription ?? "\(error)"))"
                }
            }
            print(
                StoreStatusText.text(
                    status, backend: oldest.map { "\(config.prometheus.url.absoluteString): \($0)" },
                    replacements: replacements))
        }
    }
}

/// The text `store status` prints.
enum StoreStatusText {
    static func text(_ status: StoreStatus, backend: String?, replacements: [Replacement]) -> String {
        var lines = ["store:        \(status.location) (schema \(status.schemaVersion), \(status.bytes) bytes)"]
        if let first = status.firstHour, let end = status.lastHourEnd {
            lines.append("hours:        \(status.hours) stored, \(first) to \(end)")
        } else {
            lines.append("hours:        none stored yet")
        }
        lines.append("keys:         \(status.keys) usage keys, \(status.series) series")
        if let end = status.lastHourEnd {
            lines.append(
                "states:       \(status.statesAtLastHour) counter state(s) at \(end) (a later collect "
                    + "continues from them if the backend no longer holds the samples before)")
        }
        lines.append(
            "provisional:  \(status.provisionalHours) hour(s) measured less than 26 h after they ended "
                + "(the next collect measures them again)")
        lines.append(
            "missing:      "
                + (status.missing.isEmpty
                    ? "none"
                    : status.missing.map { "\($0.lowerBound) to \($0.upperBound)" }.joined(separator: ", ")))
        lines.append(
            "coverage:     \(status.samples) samples, \(status.missedSamples) missed, \(status.resets) counter reset(s)"
        )
        let shownGaps = status.scrapeGaps.suffix(10).map {
            "\(DateText.utc(Date(millis: $0.from))) to \(DateText.utc(Date(millis: $0.to)))"
        }
        lines.append(
            "scrape gaps:  "
                + (status.scrapeGaps.isEmpty
                    ? "none"
                    : "\(status.scrapeGaps.count) in the stored hours"
                        + (status.scrapeGaps.count > shownGaps.count ? ", the last \(shownGaps.count)" : "") + ": "
                        + shownGaps.joined(separator: ", ")))
        lines.append(
            "no samples:   "
                + (status.unsampled.isEmpty
                    ? "none"
                    : status.unsampled.map { "\($0.lowerBound) to \($0.upperBound)" }.joined(separator: ", ")))
        lines.append(
            "runs:         \(status.runs)" + (status.lastRunAt.map { ", last started \(DateText.utc($0))" } ?? ""))
        lines.append("changes:      \(status.replacements) stored figure(s) measured again with a different result")
        for change in replacements.suffix(20) {
            let key = [change.key.gateway, change.key.model, change.key.tokenType].joined(separator: " ")
            lines.append(
                "  \(change.hour) \(key): \(change.oldTokens) -> \(change.newTokens) "
                    + "(\(change.reason.rawValue) \(DateText.utc(change.at)))")
        }
        if let backend { lines.append("backend:      \(backend)") }
        return lines.joined(separator: "\n")
    }
}
