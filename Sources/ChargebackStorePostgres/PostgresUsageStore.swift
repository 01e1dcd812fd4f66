import ChargebackCore
import Foundation
import Logging
import PostgresNIO

/// A usage store in a PostgreSQL database, for a team that shares one history (postgres-nio).
///
/// The tables and their meaning are the SQLite store's. Every hour is written in its own
/// transaction, so a killed run leaves the hours it committed and nothing of the one it was
/// writing. The single writer holds a session-level `pg_advisory_lock` on the store's connection:
/// the server frees it when that connection ends, however the run ended; the `writer_lock` row
/// beside it only names the holder for the message a second run gets.
public actor PostgresUsageStore: UsageStore {
    let connection: PostgresConnection
    let logger: Logger
    public nonisolated let location: String
    private var holdsWriter = false

    private init(connection: PostgresConnection, location: String, logger: Logger) {
        self.connection = connection
        self.location = location
        self.logger = logger
    }

    /// Connects to the database at `url` and applies the migrations it lacks.
    /// - Parameters:
    ///   - url: `postgres://user@host:5432/database`, without a password.
    ///   - password: where the password is read from, or `nil` for none (trust or certificate auth).
    ///   - tls: TLS files as for Prometheus; TLS is required when given or when the URL says
    ///     `sslmode=require`, `verify-ca` or `verify-full`.
    /// - Throws: ``StoreError/database`` when the server cannot be reached, refuses the login or
    ///   the migrations fail; the secret's error (exit 64) when the password cannot be read.
    public static func connect(url: URL, password: SecretSource?, tls: TLSSettings?) async throws -> PostgresUsageStore
    {
        let location = url.absoluteString
        let endpoint = try PostgresEndpoint(url: url)
        let (connection, logger) = try await endpoint.connect(
            password: password, what: "store password", tls: tls, tlsKey: "store.tls",
            label: "chargeback.store.postgres", id: 1
        ) { StoreError.database(location: location, "cannot connect: " + PostgresErrors.describe($0)) }
        let store = PostgresUsageStore(connection: connection, location: location, logger: logger)
        do {
            try await store.migrate()
        } catch {
            await store.close()
            throw error
        }
        return store
    }

    public func close() async {
        try? await connection.close()
    }

    func guarded<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch {
            if let error = PostgresErrors.storeError(error) { throw error }
            throw StoreError.database(location: location, PostgresErrors.describe(error))
        }
    }

    func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await connection.withTransaction(logger: logger) { connection in try await body(connection) }
    }

    private func migrate() async throws {
        try await guarded {
            try await transaction { db in
                try await db.query("SELECT pg_advisory_xact_lock(\(PostgresSchema.migrationLock))", logger: logger)
                try await db.query(
                    """
                    CREATE TABLE IF NOT EXISTS schema_migrations (identifier TEXT PRIMARY KEY,
                        applied_at BIGINT NOT NULL)
                    """, logger: logger)
                var applied = Set<String>()
                for try await identifier in try await db.query(
                    "SELECT identifier FROM schema_migrations", logger: logger
                ).decode(String.self) {
                    applied.insert(identifier)
                }
                for (identifier, statements) in PostgresSchema.migrations where !applied.contains(identifier) {
                    for statement in statements {
                        try await db.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await db.query(
                        "INSERT INTO schema_migrations (identifier, applied_at) VALUES (\(identifier), \(Date().millis))",
                        logger: logger)
                }
            }
        }
    }

    public func storedHours(in range: Range<Hour>) async throws -> [StoredHourInfo] {
        let (from, to) = (range.lowerBound.start, range.upperBound.start)
        return try await guarded {
            var infos: [StoredHourInfo] = []
            let rows = try await connection.query(
                "SELECT hour, collected_at, as_of, run_id FROM hours WHERE hour >= \(from) AND hour < \(to) ORDER BY hour",
                logger: logger)
            for try await (hour, collected, asOf, run) in rows.decode((Int64, Int64, Int64, Int64).self) {
                infos.append(
                    StoredHourInfo(
                        start: Hour(startSeconds: hour), collectedAt: Date(millis: collected), asOf: Date(millis: asOf),
                        run: run))
            }
            return infos
        }
    }

    public func read(_ range: Range<Hour>) async throws -> [StoredHour] {
        let (from, to) = (range.lowerBound.start, range.upperBound.start)
        return try await guarded {
            var hours: [Int64: StoredHour] = [:]
            let hourRows = try await connection.query(
                """
                SELECT hour, collected_at, as_of, run_id, samples, missed_samples, sampled, requests_measured
                FROM hours WHERE hour >= \(from) AND hour < \(to)
                """, logger: logger)
            for try await (hour, collected, asOf, run, samples, missed, sampled, requestsMeasured) in hourRows.decode(
                (Int64, Int64, Int64, Int64, Int64, Int64, Bool, Bool).self)
            {
                hours[hour] = StoredHour(
                    start: Hour(startSeconds: hour), samples: Int(samples), missedSamples: Int(missed),
                    sampled: sampled,
                    info: StoredHourInfo(
                        start: Hour(startSeconds: hour), collectedAt: Date(millis: collected), asOf: Date(millis: asOf),
                        run: run))
                if requestsMeasured { hours[hour]?.requests = [:] }
            }
            let requestRows = try await connection.query(
                """
                SELECT hour, gateway, model, token_type, system, extras, requests FROM requests
                WHERE hour >= \(from) AND hour < \(to)
                """, logger: logger)
            for try await (hour, gateway, model, tokenType, system, extras, count) in requestRows.decode(
                (Int64, String, String, String, String, String, Int64).self)
            {
                hours[hour]?.requests?[
                    try StoreKeys.key(
                        gateway: gateway, model: model, tokenType: tokenType, system: system, extras: extras,
                        location: location)] = count
            }
            let usageRows = try await connection.query(
                """
                SELECT hour, gateway, model, token_type, system, extras, tokens FROM usage
                WHERE hour >= \(from) AND hour < \(to)
                """, logger: logger)
            for try await (hour, gateway, model, tokenType, system, extras, tokens) in usageRows.decode(
                (Int64, String, String, String, String, String, Int64).self)
            {
                let key = try StoreKeys.key(
                    gateway: gateway, model: model, tokenType: tokenType, system: system, extras: extras,
                    location: location)
                hours[hour]?.tokens[key] = tokens
            }
            let costRows = try await connection.query(
                "SELECT hour, gateway, nanos FROM gateway_cost WHERE hour >= \(from) AND hour < \(to)", logger: logger)
            for try await (hour, gateway, nanos) in costRows.decode((Int64, String, Int64).self) {
                hours[hour]?.gatewayCostNanos[gateway] = nanos
            }
            let eventRows = try await connection.query(
                """
                SELECT hour, kind, series, target, from_ms, to_ms, apportioned FROM events
                WHERE hour >= \(from) AND hour < \(to) ORDER BY id
                """, logger: logger)
            for try await (hour, kind, series, target, fromMillis, toMillis, apportioned) in eventRows.decode(
                (Int64, String, String, String, Int64, Int64, Bool).self)
            {
                guard let kind = StoredEvent.Kind(rawValue: kind) else { continue }
                hours[hour]?.events.append(
                    StoredEvent(
                        kind: kind, series: series, target: target, fromMillis: fromMillis, toMillis: toMillis,
                        apportioned: apportioned))
            }
            return hours.values.sorted { $0.start < $1.start }
        }
    }

    public func series(overlapping fromMillis: Int64, _ toMillis: Int64) async throws -> [StoredSeries] {
        try await guarded {
            var series: [StoredSeries] = []
            let rows = try await connection.query(
                """
                SELECT identity, first_ms, last_ms FROM series WHERE first_ms < \(toMillis) AND last_ms >= \(fromMillis)
                ORDER BY identity COLLATE "C"
                """, logger: logger)
            for try await (identity, first, last) in rows.decode((String, Int64, Int64).self) {
                series.append(StoredSeries(identity: identity, firstMillis: first, lastMillis: last))
            }
            return series
        }
    }

    public func replacements(in range: Range<Hour>) async throws -> [Replacement] {
        let (from, to) = (range.lowerBound.start, range.upperBound.start)
        return try await guarded {
            var changes: [Replacement] = []
            let rows = try await connection.query(
                """
                SELECT hour, gateway, model, token_type, system, extras, old_tokens, new_tokens, replaced_at, reason,
                    run_id
                FROM replacements WHERE hour >= \(from) AND hour < \(to) ORDER BY id
                """, logger: logger)
            for try await (hour, gateway, model, tokenType, system, extras, old, new, at, reason, run) in rows.decode(
                (Int64, String, String, String, String, String, Int64, Int64, Int64, String, Int64).self)
            {
                let key = try StoreKeys.key(
                    gateway: gateway, model: model, tokenType: tokenType, system: system, extras: extras,
                    location: location)
                changes.append(
                    Replacement(
                        hour: Hour(startSeconds: hour), key: key, oldTokens: old, newTokens: new, at: Date(millis: at),
                        reason: Replacement.Reason(rawValue: reason) ?? .replaced, run: run))
            }
            return changes
        }
    }

    public func lastHourEnd() async throws -> Hour? {
        try await guarded {
            (try await scalar("SELECT MAX(hour) FROM hours", as: Int64?.self) ?? nil).map {
                Hour(startSeconds: $0).next
            }
        }
    }

    /// The first column of the first row, or `nil` without rows (every row is read).
    func scalar<T: PostgresDecodable>(_ query: PostgresQuery, as type: T.Type) async throws -> T? {
        try await connection.query(query, logger: logger).collect().first?.decode(T.self)
    }

    public func acquireWriter() async throws {
        try await guarded {
            let host = ProcessInfo.processInfo.hostName
            let pid = Int64(getpid())
            if !holdsWriter {
                let taken =
                    try await scalar("SELECT pg_try_advisory_lock(\(PostgresSchema.writerLock))", as: Bool.self)
                    ?? false
                guard taken else {
                    let holder = try await connection.query(
                        "SELECT host, pid, heartbeat_ms FROM writer_lock WHERE id = 1", logger: logger
                    ).collect().first?.decode((String, Int64, Int64).self)
                    throw StoreError.lockedBySession(
                        location: location, holder: holder.map { "pid \($0.1) on \($0.0)" } ?? "another session",
                        since: holder.map { Date(millis: $0.2) } ?? Date())
                }
                holdsWriter = true
            }
            try await connection.query(
                """
                INSERT INTO writer_lock (id, host, pid, heartbeat_ms) VALUES (1, \(host), \(pid), \(Date().millis))
                ON CONFLICT (id) DO UPDATE SET host = excluded.host, pid = excluded.pid,
                    heartbeat_ms = excluded.heartbeat_ms
                """, logger: logger)
        }
    }

    public func releaseWriter() async throws {
        guard holdsWriter else { return }
        try await guarded {
            try await connection.query("DELETE FROM writer_lock WHERE id = 1", logger: logger)
            try await connection.query("SELECT pg_advisory_unlock(\(PostgresSchema.writerLock))", logger: logger)
            holdsWriter = false
        }
    }

    public func dimensions() async throws -> String? {
        try await guarded { try await scalar("SELECT value FROM meta WHERE name = 'dimensions'", as: String.self) }
    }

    public func states(atEndOf hour: Hour) async throws -> [SeriesState] {
        let end = hour.endMillis
        return try await guarded {
            var states: [SeriesState] = []
            for try await (identity, before, value) in try await connection.query(
                """
                SELECT identity, before_end_ms, value FROM series_states JOIN series ON series.id = series_id
                WHERE hour = \(hour.start) ORDER BY identity
                """, logger: logger
            ).decode((String, Int64, Int64).self) {
                states.append(SeriesState(identity: identity, millis: end - before, value: value))
            }
            return states
        }
    }

    public func status() async throws -> StoreStatus {
        try await guarded {
            var hours: [Hour] = []
            for try await hour in try await connection.query("SELECT hour FROM hours ORDER BY hour", logger: logger)
                .decode(Int64.self)
            {
                hours.append(Hour(startSeconds: hour))
            }
            let edge = Int64(QueryPlan.edgeSeconds)
            let provisional =
                try await scalar(
                    "SELECT COUNT(*) FROM hours WHERE as_of < (hour + \(Hour.seconds) + \(edge)) * 1000", as: Int64.self
                )
                ?? 0
            let keys =
                try await scalar(
                    """
                    SELECT COUNT(*) FROM (SELECT DISTINCT gateway, model, token_type, system, extras FROM usage) AS k
                    """, as: Int64.self) ?? 0
            var bytes: Int64 = 0
            for table in PostgresSchema.tables {
                bytes += try await scalar("SELECT pg_total_relation_size('\(unescaped: table)')", as: Int64.self) ?? 0
            }
            var applied = Set<String>()
            for try await identifier in try await connection.query(
                "SELECT identifier FROM schema_migrations", logger: logger
            ).decode(String.self) {
                applied.insert(identifier)
            }
            let schema = PostgresSchema.migrations.map(\.0).last { applied.contains($0) }
            var status = StoreStatus(
                location: location, schemaVersion: schema ?? "none", firstHour: hours.first,
                lastHourEnd: hours.last?.next, hours: hours.count, keys: Int(keys),
                series: Int(try await scalar("SELECT COUNT(*) FROM series", as: Int64.self) ?? 0),
                missing: StoreStatus.missing(between: hours), provisionalHours: Int(provisional),
                runs: Int(try await scalar("SELECT COUNT(*) FROM runs", as: Int64.self) ?? 0),
                lastRunAt: try await scalar("SELECT MAX(started_at) FROM runs", as: Int64?.self)?.map {
                    Date(millis: $0)
                },
                replacements: Int(try await scalar("SELECT COUNT(*) FROM replacements", as: Int64.self) ?? 0),
                bytes: bytes)
            status.samples =
                try await scalar("SELECT COALESCE(SUM(samples), 0)::BIGINT FROM hours", as: Int64.self) ?? 0
            status.missedSamples =
                try await scalar("SELECT COALESCE(SUM(missed_samples), 0)::BIGINT FROM hours", as: Int64.self) ?? 0
            status.resets = Int(
                try await scalar("SELECT COUNT(*) FROM events WHERE kind = 'reset'", as: Int64.self) ?? 0)
            var gaps: [(from: Int64, to: Int64)] = []
            for try await (from, to) in try await connection.query(
                "SELECT DISTINCT from_ms, to_ms FROM events WHERE kind = 'gap'", logger: logger
            ).decode((Int64, Int64).self) {
                gaps.append((from, to))
            }
            status.scrapeGaps = StoreStatus.merged(gaps)
            status.statesAtLastHour = Int(
                try await scalar(
                    "SELECT COUNT(*) FROM series_states WHERE hour = \(hours.last?.start ?? -1)", as: Int64.self) ?? 0)
            var unsampled: [Hour] = []
            for try await hour in try await connection.query(
                "SELECT hour FROM hours WHERE NOT sampled ORDER BY hour", logger: logger
            ).decode(Int64.self) {
                unsampled.append(Hour(startSeconds: hour))
            }
            status.unsampled = StoreStatus.stretches(unsampled)
            return status
        }
    }
}
