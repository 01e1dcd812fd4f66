import ChargebackCore
import Foundation
import GRDB

/// The embedded usage store: one SQLite file (GRDB), schema migrations applied on open.
///
/// Every hour is written in its own `BEGIN IMMEDIATE` transaction, so a killed run leaves the
/// hours it committed and nothing of the one it was writing. One writer at a time holds the
/// `writer_lock` row (a lock in the database itself, seen by every process that opens it).
public final class SQLiteUsageStore: UsageStore {
    let queue: DatabaseQueue
    let path: String
    public var location: String { "sqlite://\(path)" }

    /// Opens (creating it and its folder if needed) and migrates the store at `path`.
    /// - Throws: ``StoreError/database`` when the file cannot be opened or migrated.
    public init(path: String) throws {
        self.path = path
        do {
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: path).deletingLastPathComponent(),
                withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.busyMode = .timeout(30)
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL")
            }
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try SQLiteSchema.migrator.migrate(queue)
        } catch {
            throw StoreError.database(location: "sqlite://\(path)", Self.describe(error))
        }
    }

    static func describe(_ error: Error) -> String {
        (error as? DatabaseError).map { $0.message ?? "\($0)" } ?? error.localizedDescription
    }

    func guarded<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as StoreError { throw error } catch {
            throw StoreError.database(location: location, Self.describe(error))
        }
    }

    public func storedHours(in hours: Range<Hour>) throws -> [StoredHourInfo] {
        try guarded {
            try queue.read { db in
                try Row.fetchAll(
                    db,
                    sql: "SELECT hour, collected_at, as_of, run_id FROM hours WHERE hour >= ? AND hour < ? "
                        + "ORDER BY hour", arguments: [hours.lowerBound.start, hours.upperBound.start]
                ).map(Self.info)
            }
        }
    }

    private static func info(_ row: Row) -> StoredHourInfo {
        StoredHourInfo(
            start: Hour(startSeconds: row["hour"]), collectedAt: Date(millis: row["collected_at"]),
            asOf: Date(millis: row["as_of"]),
            run: row["run_id"])
    }

    public func read(_ range: Range<Hour>) throws -> [StoredHour] {
        let (from, to) = (range.lowerBound.start, range.upperBound.start)
        return try guarded {
            try queue.read { db in
                var hours: [Int64: StoredHour] = [:]
                for row in try Row.fetchAll(
                    db, sql: "SELECT * FROM hours WHERE hour >= ? AND hour < ?", arguments: [from, to])
                {
                    let start: Int64 = row["hour"]
                    hours[start] = StoredHour(
                        start: Hour(startSeconds: start), samples: row["samples"], missedSamples: row["missed_samples"],
                        sampled: row["sampled"], info: Self.info(row))
                    let requestsMeasured: Bool = row["requests_measured"]
                    if requestsMeasured { hours[start]?.requests = [:] }
                }
                for row in try Row.fetchAll(
                    db, sql: "SELECT * FROM requests WHERE hour >= ? AND hour < ?", arguments: [from, to])
                {
                    let key = try StoreKeys.key(row, location: location)
                    hours[row["hour"]]?.requests?[key] = row["requests"]
                }
                for row in try Row.fetchAll(
                    db, sql: "SELECT * FROM usage WHERE hour >= ? AND hour < ?", arguments: [from, to])
                {
                    let key = try StoreKeys.key(row, location: location)
                    hours[row["hour"]]?.tokens[key] = row["tokens"]
                }
                for row in try Row.fetchAll(
                    db, sql: "SELECT * FROM gateway_cost WHERE hour >= ? AND hour < ?",
                    arguments: [from, to])
                {
                    hours[row["hour"]]?.gatewayCostNanos[row["gateway"]] = row["nanos"]
                }
                for row in try Row.fetchAll(
                    db, sql: "SELECT * FROM events WHERE hour >= ? AND hour < ? ORDER BY rowid",
                    arguments: [from, to])
                {
                    guard let kind = StoredEvent.Kind(rawValue: row["kind"]) else { continue }
                    hours[row["hour"]]?.events.append(
                        StoredEvent(
                            kind: kind, series: row["series"], target: row["target"],
                            fromMillis: row["from_ms"], toMillis: row["to_ms"],
                            apportioned: row["apportioned"]))
                }
                return hours.values.sorted { $0.start < $1.start }
            }
        }
    }

    public func series(overlapping fromMillis: Int64, _ toMillis: Int64) throws -> [StoredSeries] {
        try guarded {
            try queue.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT * FROM series WHERE first_ms < ? AND last_ms >= ? ORDER BY identity",
                    arguments: [toMillis, fromMillis]
                ).map {
                    StoredSeries(identity: $0["identity"], firstMillis: $0["first_ms"], lastMillis: $0["last_ms"])
                }
            }
        }
    }

    public func replacements(in hours: Range<Hour>) throws -> [Replacement] {
        let (from, to) = (hours.lowerBound.start, hours.upperBound.start)
        return try guarded {
            try queue.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT * FROM replacements WHERE hour >= ? AND hour < ? ORDER BY rowid",
                    arguments: [from, to]
                ).map { row in
                    Replacement(
                        hour: Hour(startSeconds: row["hour"]), key: try StoreKeys.key(row, location: location),
                        oldTokens: row["old_tokens"],
                        newTokens: row["new_tokens"], at: Date(millis: row["replaced_at"]),
                        reason: Replacement.Reason(rawValue: row["reason"]) ?? .replaced, run: row["run_id"])
                }
            }
        }
    }

    public func lastHourEnd() throws -> Hour? {
        try guarded {
            try queue.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(hour) FROM hours") }
                .map { Hour(startSeconds: $0).next }
        }
    }

    public func acquireWriter() throws {
        try acquireWriter(host: ProcessInfo.processInfo.hostName, pid: Int64(getpid()))
    }

    /// ``acquireWriter()`` for the writer `pid` on `host` (a seam for tests).
    func acquireWriter(host: String, pid: Int64, now: Date = Date()) throws {
        try guarded {
            try queue.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    if let row = try Row.fetchOne(db, sql: "SELECT * FROM writer_lock WHERE id = 1") {
                        let holderHost: String = row["host"]
                        let holderPID: Int64 = row["pid"]
                        let heartbeat = Date(millis: row["heartbeat_ms"])
                        let mine = holderHost == host && holderPID == pid
                        let alive =
                            holderHost == host
                            ? kill(pid_t(holderPID), 0) == 0 || errno == EPERM
                            : now.timeIntervalSince(heartbeat) < Double(StoreLockRules.staleMinutes * 60)
                        if !mine && alive {
                            throw StoreError.locked(
                                location: location, holder: "pid \(holderPID) on \(holderHost)",
                                since: heartbeat)
                        }
                    }
                    try db.execute(
                        sql: "INSERT OR REPLACE INTO writer_lock (id, host, pid, heartbeat_ms) VALUES (1, ?, ?, ?)",
                        arguments: [host, pid, now.millis])
                    return .commit
                }
            }
        }
    }

    public func releaseWriter() throws {
        try guarded {
            try queue.write { db in
                try db.execute(
                    sql: "DELETE FROM writer_lock WHERE host = ? AND pid = ?",
                    arguments: [ProcessInfo.processInfo.hostName, Int64(getpid())])
            }
        }
    }

    public func dimensions() throws -> String? {
        try guarded {
            try queue.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE name = 'dimensions'") }
        }
    }

    public func beginRun(_ run: CollectRunInfo) throws -> Int64 {
        try guarded {
            try queue.write { db in
                if let stored = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE name = 'dimensions'") {
                    guard stored == run.dimensions else {
                        throw StoreError.incompatible(
                            location: location,
                            "it was collected with the labels \(stored), "
                                + "the config now reads \(run.dimensions); keep the labels, or collect into a new store"
                        )
                    }
                } else {
                    try db.execute(
                        sql: "INSERT INTO meta (name, value) VALUES ('dimensions', ?)", arguments: [run.dimensions])
                }
                try db.execute(
                    sql: """
                        INSERT INTO runs
                            (started_at, as_of, store_from, store_to, replace, backend, tool_version, command)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        run.startedAt.millis, run.asOf.millis, run.hours.lowerBound.start, run.hours.upperBound.start,
                        run.replace, run.backend,
                        ChargebackVersion.string, run.command.joined(separator: " "),
                    ])
                return db.lastInsertedRowID
            }
        }
    }

    public func finishRun(_ id: Int64, at: Date) throws {
        try guarded {
            try queue.write { db in
                try db.execute(sql: "UPDATE runs SET finished_at = ? WHERE id = ?", arguments: [at.millis, id])
            }
        }
    }

    @discardableResult
    public func write(
        _ hour: StoredHour, series: [StoredSeries], states: [SeriesState], run: Int64, asOf: Date,
        reason: Replacement.Reason
    ) throws -> [Replacement] {
        let now = Date()
        return try guarded {
            try queue.writeWithoutTransaction { db in
                var changes: [Replacement] = []
                try db.inTransaction(.immediate) {
                    let existed =
                        try Bool.fetchOne(db, sql: "SELECT 1 FROM hours WHERE hour = ?", arguments: [hour.start.start])
                        ?? false
                    if existed {
                        var old: [UsageKey: Int64] = [:]
                        for row in try Row.fetchAll(
                            db, sql: "SELECT * FROM usage WHERE hour = ?", arguments: [hour.start.start])
                        {
                            old[try StoreKeys.key(row, location: location)] = row["tokens"]
                        }
                        changes += Replacement.changes(
                            hour: hour.start, old: old, new: hour.tokens, at: now, reason: reason, run: run)
                        for table in ["usage", "requests", "gateway_cost", "events", "series_states", "hours"] {
                            try db.execute(sql: "DELETE FROM \(table) WHERE hour = ?", arguments: [hour.start.start])
                        }
                    }
                    try db.execute(
                        sql: """
                            INSERT INTO hours (hour, run_id, collected_at, as_of, samples, missed_samples, sampled,
                                requests_measured)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            hour.start.start, run, now.millis, asOf.millis, hour.samples, hour.missedSamples,
                            hour.sampled, hour.requests != nil,
                        ])
                    try Self.insert(hour.requests ?? [:], into: "requests", column: "requests", hour: hour, db: db)
                    try Self.insert(hour.tokens, into: "usage", column: "tokens", hour: hour, db: db)
                    for (gateway, nanos) in hour.gatewayCostNanos.sorted(by: { $0.key < $1.key }) {
                        try db.execute(
                            sql: "INSERT INTO gateway_cost (hour, gateway, nanos) VALUES (?, ?, ?)",
                            arguments: [hour.start.start, gateway, nanos])
                    }
                    for event in hour.events {
                        try db.execute(
                            sql: """
                                INSERT INTO events (hour, kind, series, target, from_ms, to_ms, apportioned)
                                VALUES (?, ?, ?, ?, ?, ?, ?)
                                """,
                            arguments: [
                                hour.start.start, event.kind.rawValue, event.series, event.target, event.fromMillis,
                                event.toMillis, event.apportioned,
                            ])
                    }
                    for series in series {
                        try db.execute(
                            sql: """
                                INSERT INTO series (identity, first_ms, last_ms) VALUES (?, ?, ?)
                                ON CONFLICT (identity) DO UPDATE SET first_ms = MIN(first_ms, excluded.first_ms),
                                    last_ms = MAX(last_ms, excluded.last_ms)
                                """, arguments: [series.identity, series.firstMillis, series.lastMillis])
                    }
                    let hourEnd = hour.start.endMillis
                    for state in states {
                        try db.execute(
                            sql: """
                                INSERT INTO series_states (hour, series_id, before_end_ms, value)
                                SELECT ?, rowid, ?, ? FROM series WHERE identity = ?
                                """, arguments: [hour.start.start, hourEnd - state.millis, state.value, state.identity])
                    }
                    for change in changes {
                        try db.execute(
                            sql: """
                                INSERT INTO replacements (run_id, hour, gateway, model, token_type, system, extras,
                                    old_tokens, new_tokens, replaced_at, reason)
                                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                                """,
                            arguments: [
                                run, change.hour.start, change.key.gateway, change.key.model, change.key.tokenType,
                                change.key.system, StoreKeys.extrasText(change.key), change.oldTokens,
                                change.newTokens, change.at.millis, change.reason.rawValue,
                            ])
                    }
                    try db.execute(
                        sql: "UPDATE writer_lock SET heartbeat_ms = ? WHERE id = 1 AND pid = ?",
                        arguments: [now.millis, Int64(getpid())])
                    return .commit
                }
                return changes
            }
        }
    }

    public func states(atEndOf hour: Hour) throws -> [SeriesState] {
        let end = hour.endMillis
        return try guarded {
            try queue.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT identity, before_end_ms, value FROM series_states
                        JOIN series ON series.rowid = series_id WHERE hour = ? ORDER BY identity
                        """, arguments: [hour.start]
                ).map { SeriesState(identity: $0["identity"], millis: end - $0["before_end_ms"], value: $0["value"]) }
            }
        }
    }

    /// One row per key of `values` into `table` (`usage` or `requests`), the count in `column`, in key order.
    private static func insert(
        _ values: [UsageKey: Int64], into table: String, column: String, hour: StoredHour, db: Database
    ) throws {
        for (key, value) in values.sorted(by: { $0.key < $1.key }) {
            try db.execute(
                sql: """
                    INSERT INTO \(table) (hour, gateway, model, token_type, system, extras, \(column))
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    hour.start.start, key.gateway, key.model, key.tokenType, key.system, StoreKeys.extrasText(key),
                    value,
                ])
        }
    }
}
