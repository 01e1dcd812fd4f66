import ChargebackCore
import Foundation
import GRDB

/// agentgateway's request log in an SQLite file, read only.
///
/// The table is agentgateway's (`crates/agentgateway/src/telemetry/log_store/sqlite.rs`):
/// `completed_at` is TEXT, the RFC 3339 time sqlx writes for a `DateTime<Utc>`
/// (`2026-11-03T10:15:00.123456789+00:00`); `attributes_json` is TEXT holding one flat JSON object
/// whose keys are dotted names (`gateway`, `agw.api_key.name`,
/// `gen_ai.usage.cache_read.input_tokens`, …).
public final class SQLiteRequestLog: RequestLogReader {
    let queue: DatabaseQueue
    public let location: String

    /// Opens the file at `path` read only and checks it holds agentgateway's `request_logs`.
    /// - Throws: ``RequestLogError/unreachable`` when the file is missing or cannot be opened,
    ///   ``RequestLogError/notARequestLog`` when the table or a column is missing.
    public init(path: String) throws {
        location = "sqlite://\(path)"
        guard FileManager.default.fileExists(atPath: path) else {
            throw RequestLogError.unreachable(location: location, "no such file")
        }
        do {
            var configuration = Configuration()
            configuration.readonly = true
            configuration.busyMode = .timeout(30)
            queue = try DatabaseQueue(path: path, configuration: configuration)
            let columns = try queue.read { db in
                try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info('request_logs')")
            }
            if let problem = RequestLogError.missing(Set(columns), location: location) { throw problem }
        } catch let error as RequestLogError {
            throw error
        } catch {
            throw RequestLogError.unreachable(location: location, SQLiteUsageStore.describe(error))
        }
    }

    public func close() async {}

    public func read<Sums: Sendable>(
        _ query: RequestLogQuery, into sums: Sums, _ add: @escaping @Sendable (inout Sums, RequestLogRow) -> Void
    ) async throws -> Sums {
        let identity = query.identity.column ?? #"json_extract(attributes_json, '$."agw.api_key.name"')"#
        func attribute(_ key: String) -> String {
            "COALESCE(CAST(json_extract(attributes_json, '$.\"\(key)\"') AS INTEGER), 0)"
        }
        // The text bounds use the index on completed_at (RFC 3339 in UTC sorts as text), a day
        // wide; the exact bounds are on the parsed time.
        let sql = """
            SELECT b, gw, rq, rs, who, CAST(SUM(i) AS INTEGER), CAST(SUM(o) AS INTEGER), CAST(SUM(cr) AS INTEGER),
                CAST(SUM(cw) AS INTEGER), CAST(SUM(t * i) AS INTEGER), CAST(SUM(t * o) AS INTEGER),
                CAST(SUM(t * cr) AS INTEGER), CAST(SUM(t * cw) AS INTEGER)
            FROM (
                SELECT (e - :start) / 3600 AS b, ((e - :start) % 3600 >= 3600 - :band) AS t,
                    CAST(json_extract(attributes_json, '$.gateway') AS TEXT) AS gw,
                    CAST(gen_ai_request_model AS TEXT) AS rq, CAST(gen_ai_response_model AS TEXT) AS rs,
                    CAST(\(identity) AS TEXT) AS who,
                    COALESCE(CAST(input_tokens AS INTEGER), 0) AS i, COALESCE(CAST(output_tokens AS INTEGER), 0) AS o,
                    \(attribute("gen_ai.usage.cache_read.input_tokens")) AS cr,
                    \(attribute("gen_ai.usage.cache_creation.input_tokens")) AS cw
                FROM (
                    SELECT CAST(strftime('%s', completed_at) AS INTEGER) AS e, * FROM request_logs
                    WHERE completed_at >= :low AND completed_at < :high
                )
                WHERE e >= :start AND e < :end
            )
            GROUP BY b, gw, rq, rs, who
            """
        let day: Int64 = 86_400
        let arguments: StatementArguments = [
            "start": query.startSeconds, "end": query.endSeconds, "band": query.bandSeconds,
            "low": Self.text(query.startSeconds - day), "high": Self.text(query.endSeconds + day),
        ]
        do {
            return try await queue.read { db in
                var sums = sums
                let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
                while let row = try rows.next() {
                    // Every column is cast to TEXT or INTEGER (or NULL) by the query, so no value fails to convert.
                    add(
                        &sums,
                        RequestLogRow(
                            hour: Int(row[0] as Int64), gateway: row[1], requestModel: row[2], responseModel: row[3],
                            identity: row[4], tokens: (5..<9).map { row[$0] as Int64 },
                            tail: (9..<13).map { row[$0] as Int64 }))
                }
                return sums
            }
        } catch {
            throw RequestLogError.query(location: location, SQLiteUsageStore.describe(error))
        }
    }

    /// `2026-11-03T10:00:00`: a lower or upper bound on RFC 3339 text of UTC times.
    static func text(_ seconds: Int64) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents(
            [.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!,
            parts.second!)
    }
}
