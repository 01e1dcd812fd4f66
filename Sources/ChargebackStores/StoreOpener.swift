import ChargebackCore
import ChargebackStorePostgres
import ChargebackStoreSQLite
import Foundation

/// Opens the store a config names: the `store.url` scheme picks the database.
public enum StoreOpener {
    /// Opens the store, making the database (an SQLite file, or the tables in a PostgreSQL
    /// database) when it does not exist yet, and applying its migrations.
    /// - Throws: ``StoreError/unsupported`` for a config without `store:`, ``StoreError/database``
    ///   when the database cannot be reached, opened or migrated.
    public static func open(_ config: ChargebackConfig) async throws -> any UsageStore {
        guard let settings = config.store else {
            throw StoreError.unsupported(
                "\(config.filePath(role: "config")) has no store: block; add one, e.g. "
                    + "store: { url: sqlite://usage.sqlite }")
        }
        return try await open(settings)
    }

    /// Opens the store `settings` name (see ``open(_:)-(ChargebackConfig)``).
    public static func open(_ settings: StoreSettings) async throws -> any UsageStore {
        switch settings.location {
        case .sqlite(let path):
            return try SQLiteUsageStore(path: path)
        case .postgres(let url, let password, let tls):
            return try await PostgresUsageStore.connect(url: url, password: password, tls: tls)
        }
    }

    /// The store if the config has one and it exists (a report before the first collect reads
    /// Prometheus and makes no SQLite file); `nil` otherwise. A PostgreSQL store is always opened.
    public static func openIfPresent(_ config: ChargebackConfig) async throws -> (any UsageStore)? {
        guard let settings = config.store else { return nil }
        if case .sqlite(let path) = settings.location, !FileManager.default.fileExists(atPath: path) { return nil }
        return try await open(settings)
    }
}
