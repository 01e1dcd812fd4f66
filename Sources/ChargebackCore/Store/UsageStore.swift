import ChargebackConfig
import ChargebackDeliver
import ChargebackMeasure
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation

/// A database of exact hourly usage that outlives the backend's retention.
///
/// Hours are whole UTC hours (``Hour``). Each stored hour holds
/// the tokens per usage key, the gateway's own cost, and the coverage facts measured for it;
/// writing an hour replaces what was stored for it in one transaction, recording every change.
/// The implementations live in their own targets (ChargebackStoreSQLite, ChargebackStorePostgres),
/// so the core knows no database library.
public protocol UsageStore: Sendable {
    /// Which of `hours` are stored, with when and as of when they were measured.
    func storedHours(in hours: Range<Hour>) async throws -> [StoredHourInfo]
    /// The stored hours among `hours` with their usage and facts.
    func read(_ hours: Range<Hour>) async throws -> [StoredHour]
    /// Series seen in `[fromMillis, toMillis)`: identity, first and last sample time (ms).
    func series(overlapping fromMillis: Int64, _ toMillis: Int64) async throws -> [StoredSeries]
    /// Replacements recorded for `hours`.
    func replacements(in hours: Range<Hour>) async throws -> [Replacement]
    /// The hour after the last stored one (where the stored hours end), or `nil` for an empty store.
    func lastHourEnd() async throws -> Hour?
    /// Claims the single writer's place; throws ``StoreError/locked`` when a live run holds it.
    func acquireWriter() async throws
    /// Gives the writer's place back (only if this process holds it).
    func releaseWriter() async throws
    /// The label names the stored keys were measured with (``StoreKeys/signature(_:)``), or `nil` when empty.
    func dimensions() async throws -> String?
    /// Starts a collect run and returns its id; throws ``StoreError/incompatible`` when the
    /// run's label names differ from those the store was collected with.
    func beginRun(_ run: CollectRunInfo) async throws -> Int64
    /// Marks a run finished.
    func finishRun(_ id: Int64, at: Date) async throws
    /// Writes one hour (replacing what was stored for it), the series seen and their counter states
    /// at the hour's end, in one transaction.
    /// - Returns: the changes to tokens already stored for the hour.
    @discardableResult
    func write(
        _ hour: StoredHour, series: [StoredSeries], states: [SeriesState], run: Int64, asOf: Date,
        reason: Replacement.Reason
    ) async throws -> [Replacement]
    /// The counter states stored at the end of `hour`, in identity order.
    func states(atEndOf hour: Hour) async throws -> [SeriesState]
    /// What is stored, for `store status`.
    func status() async throws -> StoreStatus
    /// Closes the store's connections; the store is not used after it.
    func close() async
}

extension UsageStore {
    public func close() async {}
}

/// When and as of when one stored hour was measured.
public struct StoredHourInfo: Sendable, Equatable {
    public let start: Hour
    public let collectedAt: Date
    /// The moment the measurement treated as now: samples after it were not seen.
    public let asOf: Date
    public let run: Int64

    public init(start: Hour, collectedAt: Date, asOf: Date, run: Int64) {
        self.start = start
        self.collectedAt = collectedAt
        self.asOf = asOf
        self.run = run
    }

    /// Whether the hour was measured with the whole lookahead a report reads after an hour
    /// (``QueryPlan/edgeSeconds``), so a later run cannot learn more about it.
    public var isFinal: Bool { asOf >= start.endDate.addingTimeInterval(TimeInterval(QueryPlan.edgeSeconds)) }
}

/// One hour of usage and what covered it.
public struct StoredHour: Sendable, Equatable {
    public let start: Hour
    /// Tokens per key; keys without tokens are absent.
    public var tokens: [UsageKey: Int64]
    /// The gateway's own cost counter's increase, nano-USD per gateway.
    public var gatewayCostNanos: [String: Int64]
    public var samples: Int
    public var missedSamples: Int
    /// Whether any series has a sample in the hour.
    public var sampled: Bool
    /// Resets, gaps and series starts measured in (or, for a gap, first overlapping) the hour.
    public var events: [StoredEvent]
    /// Set when read from a store.
    public var info: StoredHourInfo?
    /// Requests per `input` key (keys without requests absent); `nil` when not measured (no
    /// series of the `requests` counter, or a store written before it kept them).
    public var requests: [UsageKey: Int64]?

    public init(
        start: Hour, tokens: [UsageKey: Int64] = [:], gatewayCostNanos: [String: Int64] = [:], samples: Int = 0,
        missedSamples: Int = 0, sampled: Bool = false, events: [StoredEvent] = [], info: StoredHourInfo? = nil
    ) {
        self.start = start
        self.tokens = tokens
        self.gatewayCostNanos = gatewayCostNanos
        self.samples = samples
        self.missedSamples = missedSamples
        self.sampled = sampled
        self.events = events
        self.info = info
    }
}

/// A coverage event of one series, as stored.
public struct StoredEvent: Sendable, Hashable {
    public enum Kind: String, Sendable {
        case reset, gap, started
    }

    public let kind: Kind
    public let series: String
    /// The scrape target (gaps only; empty otherwise).
    public let target: String
    /// The event's time, or a gap's last sample before it (ms).
    public let fromMillis: Int64
    /// A gap's first sample after it (ms); `fromMillis` for the other kinds.
    public let toMillis: Int64
    public let apportioned: Bool

    public init(
        kind: Kind, series: String, target: String = "", fromMillis: Int64, toMillis: Int64, apportioned: Bool = false
    ) {
        self.kind = kind
        self.series = series
        self.target = target
        self.fromMillis = fromMillis
        self.toMillis = toMillis
        self.apportioned = apportioned
    }
}

/// A series' first and last sample time seen by the runs that stored it (ms).
public struct StoredSeries: Sendable, Equatable {
    public let identity: String
    public let firstMillis: Int64
    public let lastMillis: Int64

    public init(identity: String, firstMillis: Int64, lastMillis: Int64) {
        self.identity = identity
        self.firstMillis = firstMillis
        self.lastMillis = lastMillis
    }
}

/// A change to tokens already stored for an hour and key.
public struct Replacement: Sendable, Equatable {
    public enum Reason: String, Sendable {
        /// Re-measured because it was measured before the lookahead after it had passed.
        case revised
        /// Re-measured on request (`collect --replace`).
        case replaced
    }

    public let hour: Hour
    public let key: UsageKey
    public let oldTokens: Int64
    public let newTokens: Int64
    public let at: Date
    public let reason: Reason
    public let run: Int64

    public init(hour: Hour, key: UsageKey, oldTokens: Int64, newTokens: Int64, at: Date, reason: Reason, run: Int64) {
        self.hour = hour
        self.key = key
        self.oldTokens = oldTokens
        self.newTokens = newTokens
        self.at = at
        self.reason = reason
        self.run = run
    }

    /// The keys whose tokens differ between what an hour held and what replaces it, in key order
    /// (a key on one side only counts as 0 on the other): what a store records when it rewrites
    /// an hour.
    public static func changes(
        hour: Hour, old: [UsageKey: Int64], new: [UsageKey: Int64], at: Date, reason: Reason, run: Int64
    ) -> [Replacement] {
        Set(old.keys).union(new.keys).sorted().compactMap { key in
            let before = old[key] ?? 0
            let after = new[key] ?? 0
            guard before != after else { return nil }
            return Replacement(
                hour: hour, key: key, oldTokens: before, newTokens: after, at: at, reason: reason, run: run)
        }
    }
}

/// What a collect run was asked to do.
public struct CollectRunInfo: Sendable {
    public let startedAt: Date
    public let asOf: Date
    /// The hours it was asked to collect.
    public let hours: Range<Hour>
    public let replace: Bool
    public let backend: String
    public let command: [String]
    /// ``StoreKeys/signature(_:)`` of the run's label names.
    public let dimensions: String

    public init(
        startedAt: Date, asOf: Date, hours: Range<Hour>, replace: Bool, backend: String, command: [String],
        dimensions: String
    ) {
        self.dimensions = dimensions
        self.startedAt = startedAt
        self.asOf = asOf
        self.hours = hours
        self.replace = replace
        self.backend = backend
        self.command = command
    }
}

/// What a store holds, for `chargeback store status`.
public struct StoreStatus: Sendable, Equatable {
    public var location: String
    public var schemaVersion: String
    public var firstHour: Hour?
    /// The hour after the last stored one.
    public var lastHourEnd: Hour?
    public var hours: Int
    public var keys: Int
    public var series: Int
    /// Stretches between the first and last stored hour that are not stored.
    public var missing: [Range<Hour>]
    /// Stored hours a later run may still revise (measured before their lookahead passed).
    public var provisionalHours: Int
    public var runs: Int
    public var lastRunAt: Date?
    public var replacements: Int
    public var bytes: Int64
    /// Coverage facts over every stored hour: samples counted and missed, counter resets.
    public var samples: Int64 = 0
    public var missedSamples: Int64 = 0
    public var resets: Int = 0
    /// Scrape gaps recorded in the stored hours, merged where they overlap: (from, to) ms, the
    /// last sample before and the first after.
    public var scrapeGaps: [(from: Int64, to: Int64)] = []
    /// Stored hours in which no series had a sample, as stretches.
    public var unsampled: [Range<Hour>] = []
    /// Counter states stored at the last stored hour's end: the series a next collect can continue.
    public var statesAtLastHour = 0

    public init(
        location: String, schemaVersion: String, firstHour: Hour?, lastHourEnd: Hour?, hours: Int, keys: Int,
        series: Int, missing: [Range<Hour>], provisionalHours: Int, runs: Int, lastRunAt: Date?,
        replacements: Int, bytes: Int64
    ) {
        self.location = location
        self.schemaVersion = schemaVersion
        self.firstHour = firstHour
        self.lastHourEnd = lastHourEnd
        self.hours = hours
        self.keys = keys
        self.series = series
        self.missing = missing
        self.provisionalHours = provisionalHours
        self.runs = runs
        self.lastRunAt = lastRunAt
        self.replacements = replacements
        self.bytes = bytes
    }

    /// Stretches of consecutive hours among `hours` (sorted), each at most `longest` hours long.
    public static func stretches(_ hours: [Hour], longest: Int = .max) -> [Range<Hour>] {
        var stretches: [Range<Hour>] = []
        for hour in hours {
            if let last = stretches.last, last.upperBound == hour, last.count < longest {
                stretches[stretches.count - 1] = last.lowerBound..<hour.next
            } else {
                stretches.append(hour..<hour.next)
            }
        }
        return stretches
    }

    /// `gaps` (from, to) merged where they overlap or touch, sorted.
    public static func merged(_ gaps: [(from: Int64, to: Int64)]) -> [(from: Int64, to: Int64)] {
        var merged: [(from: Int64, to: Int64)] = []
        for gap in gaps.sorted(by: { ($0.from, $0.to) < ($1.from, $1.to) }) {
            if let last = merged.last, gap.from <= last.to {
                merged[merged.count - 1].to = max(last.to, gap.to)
            } else {
                merged.append(gap)
            }
        }
        return merged
    }

    /// Stretches between the first and last of `hours` (sorted) that are not among them.
    public static func missing(between hours: [Hour]) -> [Range<Hour>] {
        zip(hours, hours.dropFirst()).filter { $0.next < $1 }.map { $0.next..<$1 }
    }

    public static func == (a: StoreStatus, b: StoreStatus) -> Bool {
        a.location == b.location && a.firstHour == b.firstHour && a.lastHourEnd == b.lastHourEnd && a.hours == b.hours
            && a.keys == b.keys && a.series == b.series && a.missing == b.missing && a.runs == b.runs
            && a.replacements == b.replacements
    }
}

/// A problem with the usage store. Exit code 1 (the run failed), 64 for a store the config
/// cannot use as it stands.
public enum StoreError: Error, LocalizedError, Sendable {
    case locked(location: String, holder: String, since: Date)
    /// Another run holds a lock that its database session owns (PostgreSQL's advisory lock).
    case lockedBySession(location: String, holder: String, since: Date)
    case database(location: String, String)
    case unsupported(String)
    case incompatible(location: String, String)

    public var errorDescription: String? {
        switch self {
        case .locked(let location, let holder, let since):
            "the store \(location) is being written by another collect run (\(holder), last commit at "
                + "\(DateText.utc(since))); wait for it to finish (the lock of a run that died is taken over when its "
                + "process is gone, or on another host \(StoreLockRules.staleMinutes) minutes after its last commit)"
        case .lockedBySession(let location, let holder, let since):
            "the store \(location) is being written by another collect run (\(holder), last commit at "
                + "\(DateText.utc(since))); wait for it to finish (the server frees the lock as soon as that run's "
                + "connection ends, also when the run died)"
        case .database(let location, let message): "the store \(location): \(message)"
        case .unsupported(let message): message
        case .incompatible(let location, let message): "the store \(location) cannot serve this report: \(message)"
        }
    }
}

extension StoreError: ExitCodeError {
    public var exitCode: Int32 {
        switch self {
        case .unsupported, .incompatible: ExitStatus.inputError
        case .locked, .lockedBySession, .database: ExitStatus.failure
        }
    }
}

/// Whole-UTC-hour arithmetic for the store.
/// When a writer's lock counts as abandoned.
public enum StoreLockRules {
    /// A lock whose holder has not committed for this long is taken over (a run on another host
    /// cannot be checked for life).
    public static let staleMinutes = 30
}
