import ChargebackModel
import Foundation

/// Where the hourly usage store lives (`store:` in chargeback.yaml).
public struct StoreSettings: Sendable, Equatable {
    public enum Location: Sendable, Equatable {
        /// An SQLite file, its path already resolved against the config's folder.
        case sqlite(path: String)
        /// A PostgreSQL server; the URL carries no password (it comes from `password`); `tls` as
        /// for Prometheus (TLS is used when the URL says `sslmode=require` or any file is set).
        case postgres(url: URL, password: SecretSource?, tls: TLSSettings?)
    }

    public var location: Location

    public init(location: Location) {
        self.location = location
    }

    /// The location for messages and the manifest, without credentials.
    public var displayName: String {
        switch location {
        case .sqlite(let path): "sqlite://\(path)"
        case .postgres(let url, _, _): url.absoluteString  // the parser refuses a URL with a password
        }
    }
}

/// Which source a report reads usage from (`report --source`).
public enum UsageSourceChoice: String, Sendable, CaseIterable {
    /// Stored hours where the store has them, Prometheus for the rest.
    case auto
    /// Only the store; hours it lacks are reported as missing.
    case store
    /// Only Prometheus, as without a store.
    case prometheus
}
