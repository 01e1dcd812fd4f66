import ChargebackCore
import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// Host, port, user and database of a `postgres://user@host:5432/database` URL, and its TLS mode.
struct PostgresEndpoint {
    let host: String
    let port: Int
    let user: String
    let database: String
    /// `sslmode` from the URL's query (`disable` when absent).
    let sslMode: String

    /// - Throws: ``StoreError/unsupported`` (exit 64) for a URL without host, user or database,
    ///   or an `sslmode` other than `disable`, `require`, `verify-ca` and `verify-full`.
    /// - Parameter key: the config key the URL came from, for messages.
    init(url: URL, key: String = "store.url") throws {
        guard let parts = URLComponents(url: url, resolvingAgainstBaseURL: false), let host = parts.host,
            !host.isEmpty, let user = parts.user, !user.isEmpty, parts.path.count > 1
        else {
            throw StoreError.unsupported(
                "\(key) \(url.absoluteString): expected postgres://user@host:5432/database")
        }
        self.host = host
        port = parts.port ?? 5432
        self.user = user.removingPercentEncoding ?? user
        let name = String(parts.path.dropFirst())
        database = name.removingPercentEncoding ?? name
        sslMode = parts.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
        guard ["disable", "require", "verify-ca", "verify-full"].contains(sslMode) else {
            throw StoreError.unsupported(
                "\(key) \(url.absoluteString): sslmode=\(sslMode) is not one of disable, require, verify-ca, "
                    + "verify-full")
        }
    }

    /// TLS as the settings and `sslmode` ask: required with a `tls:` block or an `sslmode` other
    /// than `disable` (the certificate is always verified unless `insecure_skip_verify` is set).
    func tls(_ settings: TLSSettings?, key: String = "store.tls") throws -> PostgresConnection.Configuration.TLS {
        guard settings != nil || sslMode != "disable" else { return .disable }
        let configuration = try TLSFiles.configuration(settings ?? TLSSettings(), key: key)
        do {
            return .require(try NIOSSLContext(configuration: configuration))
        } catch {
            throw StoreError.unsupported("\(key): cannot use the CA, certificate or key file (\(type(of: error)))")
        }
    }
}

extension PostgresEndpoint {
    /// Connects as the usage store and the request log do: the password read from its source
    /// (`what` names it in errors), TLS as configured under `tlsKey`, a 15-second connect timeout,
    /// the driver's own log silenced. A failure to connect is handed to `failed` for the caller's
    /// error; a password that cannot be read throws as it is (exit 64).
    func connect(
        password: SecretSource?, what: String, tls: TLSSettings?, tlsKey: String, label: String, id: Int,
        failed: (Error) -> Error
    ) async throws -> (PostgresConnection, Logger) {
        let secret = try password.map { try Secrets.read($0, what: what) }
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: user, password: secret, database: database,
            tls: try self.tls(tls, key: tlsKey))
        configuration.options.connectTimeout = .seconds(15)
        var logger = Logger(label: label)
        logger.logLevel = .critical
        do {
            return (try await PostgresConnection.connect(configuration: configuration, id: id, logger: logger), logger)
        } catch {
            throw failed(error)
        }
    }
}
