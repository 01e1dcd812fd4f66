import ChargebackConfig
import ChargebackModel
import Foundation

/// agentgateway's request log database (`attribution:`), read by the SQLite or PostgreSQL reader
/// beside the usage store's (the store targets; ChargebackStores picks one by the URL).
public protocol RequestLogReader: Sendable {
    /// The database's URL without a password, for messages and the report.
    var location: String { get }
    /// The log's records of `query`'s period summed per hour bucket, gateway, models and identity,
    /// each group handed to `add` as it is read (a month of thousands of identities is millions
    /// of groups: they are summed, not held).
    /// - Throws: ``RequestLogError``.
    func read<Sums: Sendable>(
        _ query: RequestLogQuery, into sums: Sums, _ add: @escaping @Sendable (inout Sums, RequestLogRow) -> Void
    ) async throws -> Sums
    func close() async
}

extension RequestLogReader {
    /// Every group of ``read(_:into:_:)`` (for tests and small logs).
    public func read(_ query: RequestLogQuery) async throws -> [RequestLogRow] {
        try await read(query, into: []) { $0.append($1) }
    }
}

/// Why the request log could not be read; each names the database's URL (no password).
public enum RequestLogError: Error, LocalizedError, Sendable, Equatable {
    /// The database cannot be opened or reached, or refused the login (exit 1).
    case unreachable(location: String, String)
    /// It has no `request_logs` table, or lacks a column agentgateway writes (exit 64: the URL
    /// names some other database).
    case notARequestLog(location: String, String)
    /// The query failed (exit 1).
    case query(location: String, String)

    /// The columns chargeback reads, as agentgateway's `telemetry/log_store` creates them.
    public static let columns = [
        "completed_at", "gen_ai_request_model", "gen_ai_response_model", "input_tokens", "output_tokens",
        "agentgateway_user", "agentgateway_group", "attributes_json",
    ]

    /// The problem with a table whose columns are `found`, or `nil` when every column is there.
    public static func missing(_ found: Set<String>, location: String) -> RequestLogError? {
        if found.isEmpty {
            return .notARequestLog(
                location: location,
                "has no table request_logs (agentgateway writes it when its config has database: { url: … })")
        }
        let absent = columns.filter { !found.contains($0) }
        guard !absent.isEmpty else { return nil }
        return .notARequestLog(
            location: location,
            "the table request_logs has no column \(absent.joined(separator: ", ")): not agentgateway's request log")
    }

    public var errorDescription: String? {
        switch self {
        case .unreachable(let location, let message): "the request log \(location): cannot open it: \(message)"
        case .notARequestLog(let location, let message): "the request log \(location): \(message)"
        case .query(let location, let message): "the request log \(location): reading it failed: \(message)"
        }
    }
}

extension RequestLogError: ExitCodeError {
    public var exitCode: Int32 {
        switch self {
        case .notARequestLog: ExitStatus.inputError
        case .unreachable, .query: ExitStatus.failure
        }
    }
}
