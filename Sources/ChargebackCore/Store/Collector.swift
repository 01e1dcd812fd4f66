import ChargebackConfig
import ChargebackDeliver
import ChargebackMeasure
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation
import Logging

/// `chargeback collect`: measures the complete hours the store lacks (or may still learn about)
/// and writes each in its own transaction.
///
/// An hour is *final* once it was measured at least ``QueryPlan/edgeSeconds`` after its end
/// (the lookahead a report reads); until then it is *provisional* and the next run measures it
/// again, recording any change as a revision. `--replace` measures every hour of the range again
/// and records each change as a replacement. One writer at a time: the store's writer lock.
public struct Collector {
    public let store: any UsageStore
    public let client: any MetricsBackend
    public let config: ChargebackConfig
    public let logger: Logger

    public init(store: any UsageStore, client: any MetricsBackend, config: ChargebackConfig, logger: Logger) {
        self.store = store
        self.client = client
        self.config = config
        self.logger = logger
    }

    public struct Request: Sendable {
        /// Start and end of the hours to consider (whole UTC hours); `nil` for the defaults.
        public var from: Date?
        public var to: Date?
        /// The moment treated as now: the last complete hour ends at or before it.
        public var now: Date
        public var replace: Bool
        public var commandLine: [String]

        public init(from: Date? = nil, to: Date? = nil, now: Date, replace: Bool = false, commandLine: [String]) {
            self.from = from
            self.to = to
            self.now = now
            self.replace = replace
            self.commandLine = commandLine
        }
    }

    public struct Outcome: Sendable {
        /// The hours considered; empty when nothing was due.
        public let hours: Range<Hour>
        public let hoursWritten: Int
        public let changes: [Replacement]
        public let diagnostics: [Diagnostic]
    }

    /// Most hours measured by one fetch (a week), so memory stays bounded on a long first run.
    static let batchHours = 7 * 24

    public func run(_ request: Request) async throws -> Outcome {
        let lastComplete = Hour(containing: request.now)
        try await store.acquireWriter()
        do {
            let outcome = try await collect(request, lastComplete: lastComplete)
            try await store.releaseWriter()
            return outcome
        } catch {
            try? await store.releaseWriter()
            throw error
        }
    }

    /// - Parameter lastComplete: the hour after the last complete one (the one `now` is in).
    private func collect(_ request: Request, lastComplete: Hour) async throws -> Outcome {
        let from: Hour
        let lastStored = try await store.lastHourEnd()
        if let start = request.from {
            from = Hour(containing: start)
        } else if let end = lastStored {
            from = end.advanced(by: -(QueryPlan.edgeSeconds / Int(Hour.seconds)) - 1)
        } else {
            from = try await OldestData.find(client: client, config: config, before: request.now) ?? lastComplete
        }
        let to = min(request.to.map(Hour.starting(atOrAfter:)) ?? lastComplete, lastComplete)
        guard to > from else { return Outcome(hours: from..<from, hoursWritten: 0, changes: [], diagnostics: []) }
        let stored = Dictionary(try await store.storedHours(in: from..<to).map { ($0.start, $0) }) { $1 }
        var due = (from..<to).filter { hour in
            guard let info = stored[hour] else { return true }
            return request.replace || (!info.isFinal && info.asOf < request.now)
        }
        var diagnostics: [Diagnostic] = []
        // Hours whose samples the backend no longer holds cannot be measured again: a stored one
        // keeps what was stored, and none is written from nothing.
        if !due.isEmpty, lastStored != nil {
            let dataFrom = try await OldestData.find(client: client, config: config, before: request.now) ?? to
            let gone = due.filter { $0.next <= dataFrom }
            if !gone.isEmpty {
                due.removeFirst(gone.count)
                diagnostics.append(
                    .warning(
                        "\(gone.count) hour(s) from \(gone[0]) "
                            + "are before the backend's data and were not measured"
                            + (gone.contains { stored[$0] != nil } ? " (the stored ones are kept)" : "")))
            }
        }
        guard !due.isEmpty else {
            return Outcome(hours: from..<to, hoursWritten: 0, changes: [], diagnostics: diagnostics)
        }
        let dimensions = config.dimensions
        let run = try await store.beginRun(
            CollectRunInfo(
                startedAt: Date(), asOf: request.now, hours: from..<to, replace: request.replace,
                backend: client.displayURL, command: request.commandLine, dimensions: StoreKeys.signature(dimensions)))
        var changes: [Replacement] = []
        var written = 0
        let measurement = HourMeasurement(client: client, config: config, logger: logger)
        let reason: Replacement.Reason = request.replace ? .replaced : .revised
        for batch in Self.batches(due) {
            logger.info(
                "collect",
                metadata: [
                    "from": .string(batch.lowerBound.description), "to": .string(batch.upperBound.description),
                ])
            var result = try await measurement.measure(batch, now: request.now, withStates: true)
            var firstWritten = batch.lowerBound
            if let dataStart = result.dataStart,
                let edge = try await DataEdge.find(dataStart: dataStart, before: batch.upperBound, in: store)
            {
                // The backend no longer holds the samples before `dataStart`: the stored hours before
                // the edge stay as they are, and the series continue from their states there.
                diagnostics.append(edge.note)
                firstWritten = max(edge.continueAt, batch.lowerBound)
                result = try await measurement.measure(
                    edge.continueAt..<max(edge.continueAt, batch.upperBound), now: request.now,
                    continuing: edge.states, withStates: true)
                changes += try await addShares(result.sharesBefore, run: run)
            }
            diagnostics += result.diagnostics
            for hour in result.hours where hour.start >= firstWritten {
                let seen = result.series.filter {
                    $0.firstMillis < hour.start.endMillis && $0.lastMillis >= hour.start.startMillis
                }
                changes += try await store.write(
                    hour, series: seen, states: result.states[hour.start] ?? [], run: run, asOf: request.now,
                    reason: reason)
                written += 1
            }
        }
        try await store.finishRun(run, at: Date())
        return Outcome(hours: from..<to, hoursWritten: written, changes: changes, diagnostics: diagnostics)
    }

    /// Adds to stored hours the shares of gaps that began before a continuation point, where the
    /// hour was measured before the sample that closed the gap (so it lacks the share).
    private func addShares(_ shares: [HourMeasurement.ShareBefore], run: Int64) async throws -> [Replacement] {
        var changes: [Replacement] = []
        for (start, hourShares) in Dictionary(grouping: shares, by: \.hour).sorted(by: { $0.key < $1.key }) {
            guard var hour = try await store.read(start..<start.next).first, let info = hour.info else {
                continue
            }
            let missing = hourShares.filter { info.asOf.millis < $0.closedAt }
            guard !missing.isEmpty else { continue }
            for share in missing { hour.tokens[share.key, default: 0] += share.tokens }
            changes += try await store.write(
                hour, series: [], states: try await store.states(atEndOf: start), run: run, asOf: info.asOf,
                reason: .revised)
        }
        return changes
    }

    /// Contiguous stretches of `hours` (sorted), each at most ``batchHours`` long.
    static func batches(_ hours: [Hour]) -> [Range<Hour>] { StoreStatus.stretches(hours, longest: batchHours) }
}
