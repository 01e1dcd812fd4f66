import Foundation

/// One request as agentgateway's request log database stores it (the columns chargeback reads,
/// and the attributes it writes beside them).
public struct RequestLogRecord: Sendable {
    public var completedAt: Date
    public var gateway: String?
    public var provider = "anthropic"
    public var requestModel: String?
    public var responseModel: String?
    public var user: String?
    public var group: String?
    public var apiKey: String?
    public var input: Int64?
    public var output: Int64?
    public var cacheRead: Int64?
    public var cacheWrite: Int64?

    public init(
        completedAt: Date, gateway: String?, requestModel: String?, responseModel: String? = nil, user: String?,
        group: String? = nil, apiKey: String? = nil, input: Int64?, output: Int64? = nil, cacheRead: Int64? = nil,
        cacheWrite: Int64? = nil
    ) {
        self.completedAt = completedAt
        self.gateway = gateway
        self.requestModel = requestModel
        self.responseModel = responseModel
        self.user = user
        self.group = group
        self.apiKey = apiKey
        self.input = input
        self.output = output
        self.cacheRead = cacheRead
        self.cacheWrite = cacheWrite
    }
}

/// SQL that makes agentgateway's request log database: its schema exactly and rows as agentgateway
/// writes them, for `sqlite3` or `psql`.
///
/// The CREATE TABLE statements are copied from agentgateway at commit
/// 75b4e6ce6e0e1ac7959d5548ebe8dbeaede4f180 (2026-08-21),
/// `crates/agentgateway/src/telemetry/log_store/sqlite.rs` and `…/postgres.rs` (`SCHEMA`), indexes
/// left out. The rows follow `telemetry/log.rs`: `completed_at` as sqlx writes a `DateTime<Utc>`
/// into SQLite (RFC 3339, `+00:00`, 0, 3, 6 or 9 fraction digits) or a TIMESTAMPTZ;
/// `attributes_json` one flat object of the request's attributes (`gateway`,
/// `gen_ai.usage.*_tokens`, `agentgateway.user`, `agw.api_key.name`, …); `total_tokens` input +
/// output.
public enum RequestLogScript {
    public enum Dialect: Sendable { case sqlite, postgres }

    public static func schema(_ dialect: Dialect) -> String {
        switch dialect {
        case .sqlite:
            """
            CREATE TABLE IF NOT EXISTS request_logs (
            	id TEXT PRIMARY KEY,
            	started_at TEXT NOT NULL,
            	completed_at TEXT NOT NULL,
            	duration_ms INTEGER NOT NULL,
            	trace_id TEXT,
            	span_id TEXT,
            	http_status INTEGER,
            	error TEXT,
            	gen_ai_operation_name TEXT,
            	gen_ai_provider_name TEXT,
            	gen_ai_request_model TEXT,
            	gen_ai_response_model TEXT,
            	input_tokens INTEGER,
            	output_tokens INTEGER,
            	total_tokens INTEGER,
            	cost REAL,
            	agentgateway_user TEXT,
            	agentgateway_group TEXT,
            	user_agent_name TEXT,
            	has_payload INTEGER NOT NULL,
            	attributes_json TEXT NOT NULL
            );

            """
        case .postgres:
            """
            CREATE TABLE IF NOT EXISTS request_logs (
            	id TEXT PRIMARY KEY,
            	started_at TIMESTAMPTZ NOT NULL,
            	completed_at TIMESTAMPTZ NOT NULL,
            	duration_ms BIGINT NOT NULL,
            	trace_id TEXT,
            	span_id TEXT,
            	http_status INTEGER,
            	error TEXT,
            	gen_ai_operation_name TEXT,
            	gen_ai_provider_name TEXT,
            	gen_ai_request_model TEXT,
            	gen_ai_response_model TEXT,
            	input_tokens BIGINT,
            	output_tokens BIGINT,
            	total_tokens BIGINT,
            	cost DOUBLE PRECISION,
            	agentgateway_user TEXT,
            	agentgateway_group TEXT,
            	user_agent_name TEXT,
            	has_payload BOOLEAN NOT NULL,
            	attributes_json JSONB NOT NULL
            );

            """
        }
    }

    /// The schema and one INSERT per record, in a transaction.
    public static func script(_ records: [RequestLogRecord], dialect: Dialect) -> String {
        var text = "BEGIN;\n" + schema(dialect)
        for (number, record) in records.enumerated() {
            text += insert(record, id: number, dialect: dialect)
        }
        return text + "COMMIT;\n"
    }

    static func insert(_ record: RequestLogRecord, id: Int, dialect: Dialect) -> String {
        let completed = time(record.completedAt, fraction: id % 4 * 3, dialect: dialect)
        let started = time(record.completedAt.addingTimeInterval(-1.5), fraction: 3, dialect: dialect)
        var attributes: [(String, String)] = []
        func add(_ key: String, _ value: String?) { if let value { attributes.append((key, json(value))) } }
        func add(_ key: String, _ value: Int64?) { if let value { attributes.append((key, String(value))) } }
        add("gateway", record.gateway)
        add("http.status", 200)
        add("gen_ai.operation.name", "chat")
        add("gen_ai.provider.name", record.provider)
        add("gen_ai.request.model", record.requestModel)
        add("gen_ai.response.model", record.responseModel)
        add("gen_ai.usage.input_tokens", record.input)
        add("gen_ai.usage.cache_creation.input_tokens", record.cacheWrite)
        add("gen_ai.usage.cache_read.input_tokens", record.cacheRead)
        add("gen_ai.usage.output_tokens", record.output)
        add("agentgateway.user", record.user)
        add("agentgateway.group", record.group)
        add("agw.api_key.name", record.apiKey)
        let object = "{" + attributes.map { json($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
        let total = record.input.flatMap { input in record.output.map { input + $0 } }
        let values: [String] = [
            quote(String(format: "0190%012d", id)), quote(started), quote(completed), "1500", "NULL", "NULL", "200",
            "NULL", quote("chat"), quote(record.provider), quote(record.requestModel), quote(record.responseModel),
            number(record.input), number(record.output), number(total), "NULL", quote(record.user),
            quote(record.group), "NULL", dialect == .sqlite ? "0" : "false", quote(object),
        ]
        return "INSERT INTO request_logs (id, started_at, completed_at, duration_ms, trace_id, span_id, http_status, "
            + "error, gen_ai_operation_name, gen_ai_provider_name, gen_ai_request_model, gen_ai_response_model, "
            + "input_tokens, output_tokens, total_tokens, cost, agentgateway_user, agentgateway_group, "
            + "user_agent_name, has_payload, attributes_json) VALUES (" + values.joined(separator: ", ") + ");\n"
    }

    /// RFC 3339 in UTC with `+00:00` and `fraction` digits (0, 3, 6 or 9), as sqlx writes it.
    static func time(_ date: Date, fraction: Int, dialect: Dialect) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents(
            [.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        var text = String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!,
            parts.second!)
        if fraction > 0 {
            let nanos = Int64(((date.timeIntervalSince1970 - Double(seconds)) * 1e9).rounded())
            text += "." + String(String(format: "%09lld", nanos).prefix(fraction))
        }
        return text + "+00:00"
    }

    static func quote(_ text: String?) -> String {
        text.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" } ?? "NULL"
    }

    static func number(_ value: Int64?) -> String { value.map(String.init) ?? "NULL" }

    static func json(_ text: String) -> String {
        let data = try! JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])
        let array = String(decoding: data, as: UTF8.self)
        return String(array.dropFirst().dropLast())
    }

    /// Writes `records` into a new SQLite file at `path` with the `sqlite3` command line tool.
    /// - Throws: when the tool fails (its stderr in the message).
    public static func writeSQLite(_ records: [RequestLogRecord], to path: String) throws {
        let file = path + ".sql"
        try script(records, dialect: .sqlite).write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let outcome = try ChildProcess.runBlocking("/usr/bin/sqlite3", [path, ".read \(file)"], environment: [:])
        guard outcome.status == 0 else {
            throw NSError(
                domain: "sqlite3", code: Int(outcome.status), userInfo: [NSLocalizedDescriptionKey: outcome.stderr])
        }
    }
}

/// A request log for a per-user world: every hour, the users' shares of a gateway's counted
/// tokens, logged as requests of whole tokens inside the hour (none in its last minutes).
public struct RequestLogWorld: Sendable {
    /// The users and their weights, the same on every gateway.
    public let users: [(name: String, weight: Int64)]
    /// The part of the counted tokens that is logged, in percent.
    public let coveragePercent: Int64

    public init(users: [(name: String, weight: Int64)], coveragePercent: Int64) {
        self.users = users
        self.coveragePercent = coveragePercent
    }

    /// Each user's logged tokens of `counted` (their weight's share of `counted × coverage`; the
    /// last user takes the rounding so the users sum to exactly `counted × coverage / 100`).
    public func shares(of counted: Int64) -> [Int64] {
        let logged = counted * coveragePercent / 100
        let weights = users.reduce(0) { $0 + $1.weight }
        var parts = users.map { logged * $0.weight / weights }
        parts[parts.count - 1] += logged - parts.reduce(0, +)
        return parts
    }

    /// Records for `hours` (their starts), `gateway` and `model`, each user's share of `counted`
    /// input tokens per hour in three requests at minutes 10, 25 and 40.
    public func records(hours: [Date], gateway: String, model: String, counted: Int64) -> [RequestLogRecord] {
        hours.flatMap { hour in
            zip(users, shares(of: counted)).flatMap { user, share in
                let thirds = [share / 3, share / 3, share - 2 * (share / 3)]
                return zip([10.0, 25.0, 40.0], thirds).map { minute, tokens in
                    RequestLogRecord(
                        completedAt: hour.addingTimeInterval(minute * 60 + 0.25), gateway: gateway,
                        requestModel: model, responseModel: model + "-20260901", user: user.name,
                        group: "group-" + String(user.name.prefix(1)), apiKey: "key-" + user.name, input: tokens,
                        output: 0)
                }
            }
        }
    }
}
