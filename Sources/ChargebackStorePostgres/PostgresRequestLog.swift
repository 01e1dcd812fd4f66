import ChargebackCore
import Foundation
import Logging
import PostgresNIO

/// agentgateway's request log in a PostgreSQL database, read only.
///
/// The table is agentgateway's (`crates/agentgateway/src/telemetry/log_store/postgres.rs`):
/// `completed_at` is TIMESTAMPTZ, `attributes_json` JSONB holding one flat object whose keys are
/// dotted names (`gateway`, `agw.api_key.name`, `gen_ai.usage.cache_read.input_tokens`, …).
public actor PostgresRequestLog: RequestLogReader {
    let connection: PostgresConnection
    let logger: Logger
    public nonisolated let location: String

    private init(connection: PostgresConnection, location: String, logger: Logger) {
        self.connection = connection
        self.location = location
        self.logger = logger
    }

    /// Connects as the usage store does (``PostgresUsageStore/connect(url:password:tls:)``) and
    /// checks the database holds agentgateway's `request_logs`.
    /// - Throws: ``RequestLogError/unreachable`` when the server cannot be reached or refuses the
    ///   login, ``RequestLogError/notARequestLog`` when the table or a column is missing; the
    ///   secret's error (exit 64) when the password cannot be read.
    public static func connect(url: URL, password: SecretSource?, tls: TLSSettings?) async throws -> PostgresRequestLog
    {
        let location = url.absoluteString
        let endpoint = try PostgresEndpoint(url: url, key: "attribution.url")
        let (connection, logger) = try await endpoint.connect(
            password: password, what: "request log password", tls: tls, tlsKey: "attribution.tls",
            label: "chargeback.attribution.postgres", id: 2
        ) { RequestLogError.unreachable(location: location, PostgresErrors.describe($0)) }
        let log = PostgresRequestLog(connection: connection, location: location, logger: logger)
        do {
            try await log.checkTable()
        } catch {
            await log.close()
            throw error
        }
        return log
    }

    public func close() async {
        try? await connection.close()
    }

    private func checkTable() async throws {
        var columns = Set<String>()
        do {
            let rows = try await connection.query(
                """
                SELECT column_name::TEXT FROM information_schema.columns
                WHERE table_name = 'request_logs' AND table_schema = ANY(current_schemas(false))
                """, logger: logger)
            for try await name in rows.decode(String.self) { columns.insert(name) }
        } catch {
            throw RequestLogError.query(location: location, PostgresErrors.describe(error))
        }
        if let problem = RequestLogError.missing(columns, location: location) { throw problem }
    }

    public func read<Sums: Sendable>(
        _ query: RequestLogQuery, into sums: Sums, _ add: @escaping @Sendable (inout Sums, RequestLogRow) -> Void
    ) async throws -> Sums {
        let identity = query.identity.column ?? "attributes_json ->> 'agw.api_key.name'"
        func attribute(_ key: String) -> String {
            "CASE WHEN jsonb_typeof(attributes_json -> '\(key)') = 'number' "
                + "THEN (attributes_json ->> '\(key)')::NUMERIC::BIGINT ELSE 0 END"
        }
        let start = query.startSeconds
        let band = query.bandSeconds
        let sql: PostgresQuery = """
            SELECT b, gw, rq, rs, who, SUM(i)::BIGINT, SUM(o)::BIGINT, SUM(cr)::BIGINT, SUM(cw)::BIGINT,
                SUM(t * i)::BIGINT, SUM(t * o)::BIGINT, SUM(t * cr)::BIGINT, SUM(t * cw)::BIGINT
            FROM (
                SELECT (e - \(start)) / 3600 AS b, CASE WHEN (e - \(start)) % 3600 >= 3600 - \(band) THEN 1 ELSE 0 END AS t,
                    gw, rq, rs, who, i, o, cr, cw
                FROM (
                    SELECT FLOOR(EXTRACT(EPOCH FROM completed_at))::BIGINT AS e,
                        attributes_json ->> 'gateway' AS gw, gen_ai_request_model AS rq,
                        gen_ai_response_model AS rs, (\(unescaped: identity))::TEXT AS who,
                        COALESCE(input_tokens, 0)::BIGINT AS i, COALESCE(output_tokens, 0)::BIGINT AS o,
                        \(unescaped: attribute("gen_ai.usage.cache_read.input_tokens")) AS cr,
                        \(unescaped: attribute("gen_ai.usage.cache_creation.input_tokens")) AS cw
                    FROM request_logs
                    WHERE completed_at >= to_timestamp(\(start)) AND completed_at < to_timestamp(\(query.endSeconds))
                ) AS r
            ) AS h
            GROUP BY b, gw, rq, rs, who
            """
        do {
            var result = sums
            let rows = try await connection.query(sql, logger: logger)
            for try await (hour, gateway, request, response, who, i, o, cr, cw, ti, to, tcr, tcw) in rows.decode(
                (Int64, String?, String?, String?, String?, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64).self
            ) {
                add(
                    &result,
                    RequestLogRow(
                        hour: Int(hour), gateway: gateway, requestModel: request, responseModel: response,
                        identity: who, tokens: [i, o, cr, cw], tail: [ti, to, tcr, tcw]))
            }
            return result
        } catch {
            throw RequestLogError.query(location: location, PostgresErrors.describe(error))
        }
    }
}
