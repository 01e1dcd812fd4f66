import Foundation

/// Opens the store a config names.
public enum StoreOpener {
    /// Opens the store, making the database when it does not exist yet (`collect`).
    /// - Throws: ``StoreError/unsupported`` for a config without `store:` or a backend this build
    ///   cannot open, ``StoreError/database`` when the database cannot be opened or migrated.
    public static func open(_ config: ChargebackConfig) throws -> any UsageStore {
        guard let settings = config.store else {
            throw StoreError.unsupported(
                "\(config.filePath(role: "config")) has no store: block; add one, e.g. "
                    + "store: { url: sqlite://usage.sqlite }")
        }
        switch settings.location {
        case .sqlite(let path):
            return try SQLiteUsageStore(path: path)
        case .postgres:
            throw StoreError.unsupported(
                "\(config.filePath(role: "config")): PostgreSQL stores are not supported by this "
                    + "version yet; use url: sqlite:///path/to/usage.sqlite")
        }
    }

    /// The store if the config has one and it exists (a report before the first collect reads
    /// Prometheus and makes no database); `nil` otherwise.
    public static func openIfPresent(_ config: ChargebackConfig) throws -> (any UsageStore)? {
        guard let settings = config.store else { return nil }
        if case .sqlite(let path) = settings.location, !FileManager.default.fileExists(atPath: path) { return nil }
        return try open(config)
    }
}
