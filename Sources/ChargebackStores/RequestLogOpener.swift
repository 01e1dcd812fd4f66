import ChargebackCore
import ChargebackStorePostgres
import ChargebackStoreSQLite
import Foundation

/// Opens agentgateway's request log of `attribution:`: the URL's scheme picks the reader.
public enum RequestLogOpener {
    /// The config's request log, `nil` without `attribution:`.
    /// - Throws: ``RequestLogError`` when it cannot be opened or is not agentgateway's log.
    public static func open(_ config: ChargebackConfig) async throws -> (any RequestLogReader)? {
        guard let settings = config.attribution else { return nil }
        return try await open(settings)
    }

    /// The request log `settings` name (see ``open(_:)-(ChargebackConfig)``).
    public static func open(_ settings: AttributionSettings) async throws -> any RequestLogReader {
        switch settings.database.location {
        case .sqlite(let path):
            return try SQLiteRequestLog(path: path)
        case .postgres(let url, let password, let tls):
            return try await PostgresRequestLog.connect(url: url, password: password, tls: tls)
        }
    }
}
