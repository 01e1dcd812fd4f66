import ChargebackCore
import Foundation
import Logging
import PostgresNIO

/// A collect run's writes: its record, and its hours, series and counter states in one transaction.
extension PostgresUsageStore {
    public func beginRun(_ run: CollectRunInfo) async throws -> Int64 {
        let location = location
        return try await guarded {
            try await transaction { db in
                var stored: String?
                for try await value in try await db.query(
                    "SELECT value FROM meta WHERE name = 'dimensions' FOR UPDATE", logger: logger
                ).decode(String.self) {
                    stored = value
                }
                if let stored {
                    guard stored == run.dimensions else {
                        throw StoreError.incompatible(
                            location: location,
                            "it was collected with the labels \(stored), the config now reads \(run.dimensions); "
                                + "keep the labels, or collect into a new store")
                    }
                } else {
                    try await db.query(
                        "INSERT INTO meta (name, value) VALUES ('dimensions', \(run.dimensions))", logger: logger)
                }
                let command = run.command.joined(separator: " ")
                let rows = try await db.query(
                    """
                    INSERT INTO runs (started_at, as_of, store_from, store_to, replace, backend, tool_version, command)
                    VALUES (\(run.startedAt.millis), \(run.asOf.millis), \(run.hours.lowerBound.start), \(run.hours.upperBound.start), \(run.replace),
                        \(run.backend), \(ChargebackVersion.string), \(command))
                    RETURNING id
                    """, logger: logger
                ).collect()
                guard let id = try rows.first?.decode(Int64.self) else {
                    throw StoreError.database(location: location, "the new run got no id")
                }
                return id
            }
        }
    }

    public func finishRun(_ id: Int64, at: Date) async throws {
        try await guarded {
            try await connection.query("UPDATE runs SET finished_at = \(at.millis) WHERE id = \(id)", logger: logger)
        }
    }

    @discardableResult
    public func write(
        _ hour: StoredHour, series: [StoredSeries], states: [SeriesState], run: Int64, asOf: Date,
        reason: Replacement.Reason
    ) async throws -> [Replacement] {
        let now = Date()
        let location = location
        return try await guarded {
            try await transaction { db in
                var old: [UsageKey: Int64] = [:]
                var existed = false
                for try await _ in try await db.query(
                    "SELECT hour FROM hours WHERE hour = \(hour.start.start) FOR UPDATE", logger: logger
                ).decode(Int64.self) {
                    existed = true
                }
                var changes: [Replacement] = []
                if existed {
                    let rows = try await db.query(
                        "SELECT gateway, model, token_type, system, extras, tokens FROM usage WHERE hour = \(hour.start.start)",
                        logger: logger)
                    for try await (gateway, model, tokenType, system, extras, tokens) in rows.decode(
                        (String, String, String, String, String, Int64).self)
                    {
                        let key = try StoreKeys.key(
                            gateway: gateway, model: model, tokenType: tokenType, system: system, extras: extras,
                            location: location)
                        old[key] = tokens
                    }
                    changes += Replacement.changes(
                        hour: hour.start, old: old, new: hour.tokens, at: now, reason: reason, run: run)
                    for table in ["usage", "requests", "gateway_cost", "events", "series_states", "hours"] {
                        try await db.query(
                            "DELETE FROM \(unescaped: table) WHERE hour = \(hour.start.start)", logger: logger)
                    }
                }
                try await db.query(
                    """
                    INSERT INTO hours (hour, run_id, collected_at, as_of, samples, missed_samples, sampled,
                        requests_measured)
                    VALUES (\(hour.start.start), \(run), \(now.millis), \(asOf.millis), \(Int64(hour.samples)),
                        \(Int64(hour.missedSamples)), \(hour.sampled), \(hour.requests != nil))
                    """, logger: logger)
                try await PostgresRows.insertUsage(hour, into: db, logger: logger)
                try await PostgresRows.insertRequests(hour, into: db, logger: logger)
                try await PostgresRows.insertCostsAndEvents(hour, into: db, logger: logger)
                try await PostgresRows.upsertSeries(series, into: db, logger: logger)
                try await PostgresRows.insertStates(states, hour: hour.start, into: db, logger: logger)
                try await PostgresRows.insertReplacements(changes, into: db, logger: logger)
                try await db.query(
                    "UPDATE writer_lock SET heartbeat_ms = \(now.millis) WHERE id = 1 AND pid = \(Int64(getpid()))",
                    logger: logger)
                return changes
            }
        }
    }
}
