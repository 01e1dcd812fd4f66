import ChargebackCore
import Foundation
import Logging
import PostgresNIO

/// The rows of one stored hour, each table written by one statement over arrays (`UNNEST`), so an
/// hour of thousands of keys costs a few round trips.
enum PostgresRows {
    static func insertUsage(_ hour: StoredHour, into db: PostgresConnection, logger: Logger) async throws {
        guard !hour.tokens.isEmpty else { return }
        let rows = hour.tokens.sorted { $0.key < $1.key }
        let keys = rows.map(\.key)
        let hours = Array(repeating: hour.start.start, count: rows.count)
        try await db.query(
            """
            INSERT INTO usage (hour, gateway, model, token_type, system, extras, tokens)
            SELECT * FROM UNNEST(\(hours)::BIGINT[], \(keys.map(\.gateway))::TEXT[], \(keys.map(\.model))::TEXT[],
                \(keys.map(\.tokenType))::TEXT[], \(keys.map(\.system))::TEXT[],
                \(keys.map(StoreKeys.extrasText))::TEXT[], \(rows.map(\.value))::BIGINT[])
            """, logger: logger)
    }

    static func insertRequests(_ hour: StoredHour, into db: PostgresConnection, logger: Logger) async throws {
        guard let requests = hour.requests, !requests.isEmpty else { return }
        let rows = requests.sorted { $0.key < $1.key }
        let keys = rows.map(\.key)
        try await db.query(
            """
            INSERT INTO requests (hour, gateway, model, token_type, system, extras, requests)
            SELECT * FROM UNNEST(\(Array(repeating: hour.start.start, count: rows.count))::BIGINT[],
                \(keys.map(\.gateway))::TEXT[], \(keys.map(\.model))::TEXT[], \(keys.map(\.tokenType))::TEXT[],
                \(keys.map(\.system))::TEXT[], \(keys.map(StoreKeys.extrasText))::TEXT[], \(rows.map(\.value))::BIGINT[])
            """, logger: logger)
    }

    static func insertCostsAndEvents(_ hour: StoredHour, into db: PostgresConnection, logger: Logger) async throws {
        if !hour.gatewayCostNanos.isEmpty {
            let costs = hour.gatewayCostNanos.sorted { $0.key < $1.key }
            try await db.query(
                """
                INSERT INTO gateway_cost (hour, gateway, nanos)
                SELECT * FROM UNNEST(\(Array(repeating: hour.start.start, count: costs.count))::BIGINT[],
                    \(costs.map(\.key))::TEXT[], \(costs.map(\.value))::BIGINT[])
                """, logger: logger)
        }
        guard !hour.events.isEmpty else { return }
        let events = hour.events
        // WITH ORDINALITY keeps the events' order in their ids.
        try await db.query(
            """
            INSERT INTO events (hour, kind, series, target, from_ms, to_ms, apportioned)
            SELECT h, k, s, t, f, u, a FROM UNNEST(\(Array(repeating: hour.start.start, count: events.count))::BIGINT[],
                \(events.map(\.kind.rawValue))::TEXT[], \(events.map(\.series))::TEXT[],
                \(events.map(\.target))::TEXT[], \(events.map(\.fromMillis))::BIGINT[],
                \(events.map(\.toMillis))::BIGINT[], \(events.map(\.apportioned))::BOOLEAN[])
                WITH ORDINALITY AS e(h, k, s, t, f, u, a, n) ORDER BY n
            """, logger: logger)
    }

    static func upsertSeries(_ series: [StoredSeries], into db: PostgresConnection, logger: Logger) async throws {
        guard !series.isEmpty else { return }
        // One row per identity: ON CONFLICT cannot touch the same row twice in one statement.
        var merged: [String: StoredSeries] = [:]
        for one in series {
            let old = merged[one.identity]
            merged[one.identity] = StoredSeries(
                identity: one.identity, firstMillis: min(old?.firstMillis ?? .max, one.firstMillis),
                lastMillis: max(old?.lastMillis ?? .min, one.lastMillis))
        }
        let rows = merged.values.sorted { $0.identity < $1.identity }
        try await db.query(
            """
            INSERT INTO series (identity, first_ms, last_ms)
            SELECT * FROM UNNEST(\(rows.map(\.identity))::TEXT[], \(rows.map(\.firstMillis))::BIGINT[],
                \(rows.map(\.lastMillis))::BIGINT[])
            ON CONFLICT (identity) DO UPDATE SET first_ms = LEAST(series.first_ms, excluded.first_ms),
                last_ms = GREATEST(series.last_ms, excluded.last_ms)
            """, logger: logger)
    }

    /// The counter states at the end of `hour`, by the ids of their (already upserted) series.
    static func insertStates(_ states: [SeriesState], hour: Hour, into db: PostgresConnection, logger: Logger)
        async throws
    {
        guard !states.isEmpty else { return }
        let end = hour.endMillis
        try await db.query(
            """
            INSERT INTO series_states (hour, series_id, before_end_ms, value)
            SELECT \(hour.start), series.id, s.b, s.v FROM UNNEST(\(states.map(\.identity))::TEXT[],
                \(states.map { end - $0.millis })::BIGINT[], \(states.map(\.value))::BIGINT[]) AS s(i, b, v)
                JOIN series ON series.identity = s.i
            """, logger: logger)
    }

    static func insertReplacements(_ changes: [Replacement], into db: PostgresConnection, logger: Logger)
        async throws
    {
        for change in changes {
            try await db.query(
                """
                INSERT INTO replacements (run_id, hour, gateway, model, token_type, system, extras, old_tokens,
                    new_tokens, replaced_at, reason)
                VALUES (\(change.run), \(change.hour.start), \(change.key.gateway), \(change.key.model),
                    \(change.key.tokenType), \(change.key.system), \(StoreKeys.extrasText(change.key)),
                    \(change.oldTokens), \(change.newTokens), \(change.at.millis), \(change.reason.rawValue))
                """, logger: logger)
        }
    }
}
