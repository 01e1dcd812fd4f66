import Foundation
import GRDB

/// The versioned schema of the usage store; each migration runs once, in order, recorded in
/// `grdb_migrations`.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-hourly-usage") { db in
            try db.execute(
                sql: """
                    CREATE TABLE runs (id INTEGER PRIMARY KEY, started_at INTEGER NOT NULL, finished_at INTEGER,
                        as_of INTEGER NOT NULL, store_from INTEGER NOT NULL, store_to INTEGER NOT NULL,
                        replace INTEGER NOT NULL, backend TEXT NOT NULL, tool_version TEXT NOT NULL,
                        command TEXT NOT NULL);
                    CREATE TABLE hours (hour INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id),
                        collected_at INTEGER NOT NULL, as_of INTEGER NOT NULL, samples INTEGER NOT NULL,
                        missed_samples INTEGER NOT NULL, sampled INTEGER NOT NULL);
                    CREATE TABLE usage (hour INTEGER NOT NULL, gateway TEXT NOT NULL, model TEXT NOT NULL,
                        token_type TEXT NOT NULL, system TEXT NOT NULL, extras TEXT NOT NULL, tokens INTEGER NOT NULL,
                        PRIMARY KEY (hour, gateway, model, token_type, system, extras)) WITHOUT ROWID;
                    CREATE TABLE gateway_cost (hour INTEGER NOT NULL, gateway TEXT NOT NULL, nanos INTEGER NOT NULL,
                        PRIMARY KEY (hour, gateway)) WITHOUT ROWID;
                    CREATE TABLE events (hour INTEGER NOT NULL, kind TEXT NOT NULL, series TEXT NOT NULL,
                        target TEXT NOT NULL,
                        from_ms INTEGER NOT NULL, to_ms INTEGER NOT NULL, apportioned INTEGER NOT NULL);
                    CREATE INDEX events_by_hour ON events (hour);
                    CREATE TABLE series (identity TEXT PRIMARY KEY, first_ms INTEGER NOT NULL,
                        last_ms INTEGER NOT NULL);
                    CREATE TABLE replacements (run_id INTEGER NOT NULL, hour INTEGER NOT NULL, gateway TEXT NOT NULL,
                        model TEXT NOT NULL, token_type TEXT NOT NULL, system TEXT NOT NULL, extras TEXT NOT NULL,
                        old_tokens INTEGER NOT NULL, new_tokens INTEGER NOT NULL, replaced_at INTEGER NOT NULL,
                        reason TEXT NOT NULL);
                    CREATE INDEX replacements_by_hour ON replacements (hour);
                    CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
                    CREATE TABLE writer_lock (id INTEGER PRIMARY KEY CHECK (id = 1), host TEXT NOT NULL,
                        pid INTEGER NOT NULL,
                        heartbeat_ms INTEGER NOT NULL);
                    """)
        }
        // Each token series' last sample at or before a stored hour's end, by the series' rowid; the
        // time as milliseconds before the hour's end keeps the rows small.
        migrator.registerMigration("v2-series-states") { db in
            try db.execute(
                sql: """
                    CREATE TABLE series_states (hour INTEGER NOT NULL, series_id INTEGER NOT NULL,
                        before_end_ms INTEGER NOT NULL, value INTEGER NOT NULL,
                        PRIMARY KEY (hour, series_id)) WITHOUT ROWID;
                    """)
        }
        // Requests per hour and `input` key (the `requests` counter); `requests_measured` says an
        // hour's absent rows are no requests rather than not measured (hours stored before: 0).
        migrator.registerMigration("v3-requests") { db in
            try db.execute(
                sql: """
                    ALTER TABLE hours ADD COLUMN requests_measured INTEGER NOT NULL DEFAULT 0;
                    CREATE TABLE requests (hour INTEGER NOT NULL, gateway TEXT NOT NULL, model TEXT NOT NULL,
                        token_type TEXT NOT NULL, system TEXT NOT NULL, extras TEXT NOT NULL, requests INTEGER NOT NULL,
                        PRIMARY KEY (hour, gateway, model, token_type, system, extras)) WITHOUT ROWID;
                    """)
        }
        return migrator
    }
}
