import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

/// A client for the Prometheus HTTP API (also Thanos Query, Mimir, VictoriaMetrics).
///
/// Retries connection errors, timeouts, 429 and 5xx with exponential backoff and jitter
/// (honouring `Retry-After`), turns `status: error` into ``FetchError/api(url:errorType:message:query:)``,
/// passes `warnings` on, and refuses partial responses unless allowed. Secrets are read once, at
/// creation, and appear only in the `Authorization` header.
public final class PrometheusClient: Sendable {
    public let settings: PrometheusSettings
    private let http: HTTPClient
    private let authorization: String?
    private let logger: Logger
    /// First retry delay in seconds; doubles each attempt.
    private let backoffBase: Double
    private let stats = FetchStats()

    /// - Throws: ``FetchError/secret(_:)`` when a token or password cannot be read, and
    ///   ``InputError`` when a TLS file is unusable.
    public init(settings: PrometheusSettings, logger: Logger, backoffBase: Double = 0.5,
                environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.settings = settings
        self.logger = logger
        self.backoffBase = backoffBase
        switch settings.auth {
        case .none:
            authorization = nil
        case let .bearer(source):
            authorization = "Bearer " + (try Self.readSecret(source, what: "bearer token", environment: environment))
        case let .basic(username, source):
            let password = try Self.readSecret(source, what: "basic-auth password", environment: environment)
            authorization = "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
        }
        var configuration = HTTPClient.Configuration(
            timeout: .init(connect: .seconds(Int64(min(settings.timeout, 10))), read: nil))
        configuration.tlsConfiguration = try Self.tlsConfiguration(settings.tls)
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(settings.concurrency, 1)
        // We retry with our own backoff (and count attempts), so a refused connection must fail at once.
        configuration.connectionPool.retryConnectionEstablishment = false
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Closes connections. Call once when done.
    public func shutdown() async {
        try? await http.shutdown()
    }

    /// What was fetched so far: queries, series, samples, bytes, time waiting.
    public var statistics: FetchStats.Snapshot { stats.snapshot() }

    /// The base URL for messages and the manifest (never holds credentials).
    public var displayURL: String { settings.url.absoluteString }

    // MARK: - API calls

    /// `/api/v1/query`: an instant query, e.g. a range-vector selector returning raw samples.
    /// - Returns: the series and any warnings.
    public func query(_ promql: String, at time: Date) async throws -> (series: [SeriesSamples], warnings: [String]) {
        try await runQuery(path: "/api/v1/query", promql: promql,
                           form: [("query", promql), ("time", Self.timestamp(time))])
    }

    /// `/api/v1/query_range`.
    public func queryRange(_ promql: String, start: Date, end: Date, stepSeconds: Int)
        async throws -> (series: [SeriesSamples], warnings: [String])
    {
        try await runQuery(path: "/api/v1/query_range", promql: promql,
                           form: [("query", promql), ("start", Self.timestamp(start)), ("end", Self.timestamp(end)),
                                  ("step", String(stepSeconds))])
    }

    /// `/api/v1/series`: label sets of the series matching `selector` in `[start, end]`.
    public func series(_ selector: String, start: Date, end: Date) async throws -> [[String: String]] {
        let body = try await post(path: "/api/v1/series",
                                  form: [("match[]", selector), ("start", Self.timestamp(start)),
                                         ("end", Self.timestamp(end))], query: selector)
        let decoded: ListResponse<[String: String]> = try decode(body, query: selector)
        try checkStatus(decoded.status, decoded.errorType, decoded.error, query: selector)
        return decoded.data ?? []
    }

    // MARK: - Internals

    private func runQuery(path: String, promql: String, form: [(String, String)]) async throws
        -> (series: [SeriesSamples], warnings: [String])
    {
        let body = try await post(path: path, form: form, query: promql)
        let decoded: QueryResponse = try decode(body, query: promql)
        try checkStatus(decoded.status, decoded.errorType, decoded.error, query: promql)
        if decoded.partialResponse == true && !settings.allowPartialResponse {
            throw FetchError.partialResponse(url: displayURL, query: promql)
        }
        guard let data = decoded.data else {
            throw FetchError.badResponse(url: displayURL, detail: "no data in a successful answer")
        }
        let series = data.result.map { series in
            SeriesSamples(labels: series.metric, samples: series.values.map { ($0.millis, $0.value) })
        }
        stats.record(series: series.count, samples: series.reduce(0) { $0 + $1.samples.count })
        return (series, decoded.warnings ?? [])
    }

    private func decode<T: Decodable>(_ body: ByteBuffer, query: String) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(body.readableBytesView))
        } catch let error as DecodingError {
            throw FetchError.badResponse(url: displayURL, detail: Self.describe(error))
        } catch {
            throw FetchError.badResponse(url: displayURL, detail: "\(error)")
        }
    }

    private func checkStatus(_ status: String, _ errorType: String?, _ error: String?, query: String) throws {
        guard status == "success" else {
            throw FetchError.api(url: displayURL, errorType: errorType ?? "unknown",
                                 message: error ?? "status \(status)", query: query)
        }
    }

    /// POSTs a form to `path` under the base URL, retrying what is worth retrying.
    private func post(path: String, form: [(String, String)], query: String) async throws -> ByteBuffer {
        let url = settings.url.absoluteString + path
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "chargeback/\(ChargebackVersion.string)")
        for (name, value) in settings.headers.sorted(by: { $0.key < $1.key }) { request.headers.add(name: name, value: value) }
        if let authorization { request.headers.add(name: "Authorization", value: authorization) }
        request.body = .bytes(ByteBuffer(string: FormEncoding.encode(form)))

        let attempts = settings.retries + 1
        var lastProblem = ""
        for attempt in 1...attempts {
            let started = ContinuousClock.now
            var retryAfter: Double?
            do {
                let response = try await http.execute(request, timeout: .milliseconds(Int64(settings.timeout * 1000)),
                                                      logger: nil)
                let body = try await response.body.collect(upTo: Self.maxBodyBytes)
                stats.record(request: started.duration(to: .now), bytes: body.readableBytes)
                let status = Int(response.status.code)
                if status == 200 { return body }
                let text = Self.snippet(body)
                // The API puts query errors in a JSON body with a 4xx/5xx status: report those as such.
                if let decoded = try? JSONDecoder().decode(QueryResponse.self, from: Data(body.readableBytesView)),
                   decoded.status == "error", !(status == 429 || status == 503) {
                    try checkStatus(decoded.status, decoded.errorType, decoded.error, query: query)
                }
                guard Self.isRetryable(status: status) else {
                    throw FetchError.httpStatus(url: displayURL, status: status, body: text, attempts: attempt)
                }
                if attempt == attempts {
                    throw FetchError.httpStatus(url: displayURL, status: status, body: text, attempts: attempt)
                }
                lastProblem = "HTTP \(status)"
                retryAfter = response.headers.first(name: "Retry-After").flatMap(Double.init)
            } catch let error as FetchError {
                throw error
            } catch let error as NIOTooManyBytesError {
                throw FetchError.badResponse(url: displayURL, detail: "answer larger than \(Self.maxBodyBytes) bytes "
                                             + "(\(error)); lower prometheus.chunk")
            } catch {
                lastProblem = Self.describe(networkError: error)
                if attempt == attempts {
                    throw FetchError.unreachable(url: displayURL, reason: lastProblem, attempts: attempt)
                }
            }
            let delay = min(retryAfter ?? backoffBase * pow(2, Double(attempt - 1)) * Double.random(in: 0.5...1.0), 60)
            logger.warning("retrying Prometheus request", metadata: [
                "problem": .string(lastProblem), "attempt": .stringConvertible(attempt),
                "delay_s": .string(String(format: "%.2f", delay)),
            ])
            try await Task.sleep(nanoseconds: UInt64(delay * 1e9))
        }
        throw FetchError.unreachable(url: displayURL, reason: lastProblem, attempts: attempts)
    }

    static let maxBodyBytes = 1 << 30

    private static func isRetryable(status: Int) -> Bool {
        status == 429 || status == 500 || status == 502 || status == 503 || status == 504
    }

    private static func timestamp(_ date: Date) -> String {
        String(format: "%.3f", date.timeIntervalSince1970)
    }

    private static func snippet(_ body: ByteBuffer) -> String {
        let text = String(decoding: body.readableBytesView.prefix(300), as: UTF8.self)
        return text.replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
    }

    private static func describe(networkError error: Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout: return "timed out"
            case .connectTimeout: return "connection timed out"
            case .remoteConnectionClosed: return "the server closed the connection"
            default: return "\(error)"
            }
        }
        let text = "\(error)"
        if text.contains("refused") || text.contains("ECONNREFUSED") { return "connection refused" }
        return text
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case let .dataCorrupted(context), let .keyNotFound(_, context), let .typeMismatch(_, context),
             let .valueNotFound(_, context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            let detail = (context.underlyingError as NSError?)?.localizedDescription ?? context.debugDescription
            return path.isEmpty ? detail : "\(detail) at \(path)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func readSecret(_ source: SecretSource, what: String, environment: [String: String]) throws -> String {
        switch source {
        case let .file(path):
            guard let data = FileManager.default.contents(atPath: path),
                  let text = String(data: data, encoding: .utf8) else {
                throw FetchError.secret("cannot read the \(what) file \(path)")
            }
            let secret = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !secret.isEmpty else { throw FetchError.secret("the \(what) file \(path) is empty") }
            return secret
        case let .environment(name):
            guard let value = environment[name], !value.isEmpty else {
                throw FetchError.secret("the environment variable \(name) for the \(what) is not set")
            }
            return value
        }
    }

    private static func tlsConfiguration(_ tls: TLSSettings) throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        do {
            if let ca = tls.caFile {
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(ca))
            }
            if let cert = tls.certFile, let key = tls.keyFile {
                configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(cert).map { .certificate($0) }
                configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
            }
        } catch {
            throw InputError(file: nil, "prometheus.tls: cannot load the CA, certificate or key file (\(type(of: error)))")
        }
        if tls.insecureSkipVerify { configuration.certificateVerification = .none }
        return configuration
    }
}

/// `application/x-www-form-urlencoded` encoding.
enum FormEncoding {
    private static let unreserved = CharacterSet(charactersIn:
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")

    static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
}
