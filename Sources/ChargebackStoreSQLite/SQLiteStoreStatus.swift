import ChargebackCore
import Foundation
import GRDB

/// What the store holds, for `chargeback store status`.
extension SQLiteUsageStore {
    public func status() throws -> StoreStatus {
        try guarded {
            try queue.read { db in
                let hours = try Int64.fetchAll(db, sql: "SELECT hour FROM hours ORDER BY hour").map(
                    Hour.init(startSeconds:))
                let missing = StoreStatus.missing(between: hours)
                let provisional =
                    try Int.fetchOne(
                        db, sql: "SELECT COUNT(*) FROM hours WHERE as_of < (hour + ? + ?) * 1000",
                        arguments: [Hour.seconds, QueryPlan.edgeSeconds]) ?? 0
                let keys =
                    try Int.fetchOne(
                        db,
                        sql: """
                            SELECT COUNT(*) FROM (SELECT DISTINCT gateway, model, token_type, system, extras FROM usage)
                            """) ?? 0
                let pages = try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0
                let pageSize = try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 0
                let migrations = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
                let totals = try Row.fetchOne(
                    db, sql: "SELECT COALESCE(SUM(samples), 0) AS s, COALESCE(SUM(missed_samples), 0) AS m FROM hours")
                let gaps = try Row.fetchAll(db, sql: "SELECT DISTINCT from_ms, to_ms FROM events WHERE kind = 'gap'")
                    .map { (from: $0["from_ms"] as Int64, to: $0["to_ms"] as Int64) }
                var status = StoreStatus(
                    location: location, schemaVersion: migrations.last ?? "none", firstHour: hours.first,
                    lastHourEnd: hours.last?.next, hours: hours.count, keys: keys,
                    series: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM series") ?? 0, missing: missing,
                    provisionalHours: provisional, runs: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM runs") ?? 0,
                    lastRunAt: try Int64.fetchOne(db, sql: "SELECT MAX(started_at) FROM runs").map { Date(millis: $0) },
                    replacements: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM replacements") ?? 0,
                    bytes: pages * pageSize)
                status.samples = totals?["s"] ?? 0
                status.missedSamples = totals?["m"] ?? 0
                status.resets = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events WHERE kind = 'reset'") ?? 0
                status.scrapeGaps = StoreStatus.merged(gaps)
                status.statesAtLastHour =
                    try Int.fetchOne(
                        db, sql: "SELECT COUNT(*) FROM series_states WHERE hour = ?",
                        arguments: [hours.last?.start ?? -1])
                    ?? 0
                status.unsampled = StoreStatus.stretches(
                    try Int64.fetchAll(db, sql: "SELECT hour FROM hours WHERE NOT sampled ORDER BY hour")
                        .map(Hour.init(startSeconds:)))
                return status
            }
        }
    }
}

extension StoreKeys {
    /// The key in a `usage` or `replacements` row.
    static func key(_ row: Row, location: String) throws -> UsageKey {
        try key(
            gateway: row["gateway"], model: row["model"], tokenType: row["token_type"], system: row["system"],
            extras: row["extras"], location: location)
    }
}
