import Foundation

/// The versioned schema of a PostgreSQL usage store: the tables of the SQLite store, with
/// PostgreSQL's types. Each migration runs once, in order, in one transaction, recorded in
/// `schema_migrations`; two processes migrating at once wait for each other.
enum PostgresSchema {
    /// (identifier, statements), oldest first; an identifier never changes once released.
    static let migrations: [(String, [String])] = [
        (
            "v1-hourly-usage",
            [
                """
                CREATE TABLE runs (id BIGSERIAL PRIMARY KEY, started_at BIGINT NOT NULL, finished_at BIGINT,
                    as_of BIGINT NOT NULL, store_from BIGINT NOT NULL, store_to BIGINT NOT NULL,
                    replace BOOLEAN NOT NULL, backend TEXT NOT NULL, tool_version TEXT NOT NULL, command TEXT NOT NULL)
                """,
                """
                CREATE TABLE hours (hour BIGINT PRIMARY KEY, run_id BIGINT NOT NULL REFERENCES runs(id),
                    collected_at BIGINT NOT NULL, as_of BIGINT NOT NULL, samples BIGINT NOT NULL,
                    missed_samples BIGINT NOT NULL, sampled BOOLEAN NOT NULL)
                """,
                """
                CREATE TABLE usage (hour BIGINT NOT NULL, gateway TEXT NOT NULL, model TEXT NOT NULL,
                    token_type TEXT NOT NULL, system TEXT NOT NULL, extras TEXT NOT NULL, tokens BIGINT NOT NULL,
                    PRIMARY KEY (hour, gateway, model, token_type, system, extras))
                """,
                """
                CREATE TABLE gateway_cost (hour BIGINT NOT NULL, gateway TEXT NOT NULL, nanos BIGINT NOT NULL,
                    PRIMARY KEY (hour, gateway))
                """,
                """
                CREATE TABLE events (id BIGSERIAL PRIMARY KEY, hour BIGINT NOT NULL, kind TEXT NOT NULL,
                    series TEXT NOT NULL, target TEXT NOT NULL, from_ms BIGINT NOT NULL, to_ms BIGINT NOT NULL,
                    apportioned BOOLEAN NOT NULL)
                """,
                "CREATE INDEX events_by_hour ON events (hour)",
                "CREATE TABLE series (identity TEXT PRIMARY KEY, first_ms BIGINT NOT NULL, last_ms BIGINT NOT NULL)",
                """
                CREATE TABLE replacements (id BIGSERIAL PRIMARY KEY, run_id BIGINT NOT NULL, hour BIGINT NOT NULL,
                    gateway TEXT NOT NULL, model TEXT NOT NULL, token_type TEXT NOT NULL, system TEXT NOT NULL,
                    extras TEXT NOT NULL, old_tokens BIGINT NOT NULL, new_tokens BIGINT NOT NULL,
                    replaced_at BIGINT NOT NULL, reason TEXT NOT NULL)
                """,
                "CREATE INDEX replacements_by_hour ON replacements (hour)",
                "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
                """
                CREATE TABLE writer_lock (id INTEGER PRIMARY KEY CHECK (id = 1), host TEXT NOT NULL,
                    pid BIGINT NOT NULL, heartbeat_ms BIGINT NOT NULL)
                """,
            ]
        ),
        (
            // Each token series' last sample at or before a stored hour's end, by the series' id; the
            // time as milliseconds before the hour's end.
            "v2-series-states",
            [
                "ALTER TABLE series ADD COLUMN id BIGSERIAL UNIQUE",
                """
                CREATE TABLE series_states (hour BIGINT NOT NULL, series_id BIGINT NOT NULL,
                    before_end_ms BIGINT NOT NULL, value BIGINT NOT NULL, PRIMARY KEY (hour, series_id))
                """,
            ]
        ),
        (
            // Requests per hour and `input` key; `requests_measured` tells no requests from not
            // measured (hours stored before: false).
            "v3-requests",
            [
                "ALTER TABLE hours ADD COLUMN requests_measured BOOLEAN NOT NULL DEFAULT FALSE",
                """
                CREATE TABLE requests (hour BIGINT NOT NULL, gateway TEXT NOT NULL, model TEXT NOT NULL,
                    token_type TEXT NOT NULL, system TEXT NOT NULL, extras TEXT NOT NULL, requests BIGINT NOT NULL,
                    PRIMARY KEY (hour, gateway, model, token_type, system, extras))
                """,
            ]
        ),
    ]

    /// The tables whose sizes `store status` adds up.
    static let tables = [
        "runs", "hours", "usage", "requests", "gateway_cost", "events", "series", "series_states", "replacements",
        "meta",
        "writer_lock",
    ]

    /// `pg_advisory_lock` keys: one for migrations, one for the single collect writer.
    static let migrationLock: Int64 = 0x6362_5f6d_6967  // "cb_mig"
    static let writerLock: Int64 = 0x6362_5f77_7269  // "cb_wri"
}
