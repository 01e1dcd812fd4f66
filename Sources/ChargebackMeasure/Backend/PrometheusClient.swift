import AsyncHTTPClient
import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// The answer to one query: its series, the backend's warnings, and the bytes it took.
public struct QueryResult: Sendable {
    public let series: [SeriesSamples]
    /// The API's `warnings`, plus a note when a partial answer was accepted.
    public let warnings: [String]
    /// Body bytes received (all requests, for a query split in several).
    public let bytes: Int
}

/// A client for the Prometheus HTTP API (also Thanos Query, Mimir/Cortex, VictoriaMetrics).
///
/// Retries connection errors, timeouts, 429 and 5xx with exponential backoff and jitter
/// (honouring `Retry-After`), turns `status: error` into ``FetchError/api(url:errorType:message:query:)``,
/// passes `warnings` on, and refuses partial responses unless allowed. Secrets are read once, at
/// creation, appear only in the `Authorization` header, and are scrubbed from anything the server
/// sends back before it reaches an error or a log line.
public final class PrometheusClient: MetricsBackend {
    public let settings: PrometheusSettings
    private let http: HTTPClient
    private let credentials: Credentials
    private let reader: ResponseReader
    private let logger: Logger
    private let retry: RetryPolicy
    private let stats = FetchStats()
    private let kind = BackendKind()
    private let retryLog = RetryLog()
    private let gate: RequestGate

    /// - Parameters:
    ///   - backoffBase: the first retry delay in seconds (doubles each attempt); tests make it small.
    ///   - environment: where `bearer_token_env` and `password_env` are looked up.
    /// - Throws: ``FetchError/secret(_:)`` when a token or password cannot be read, and
    ///   ``InputError`` when a TLS file is unusable.
    public init(
        settings: PrometheusSettings, logger: Logger, backoffBase: Double = 0.5,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        self.settings = settings
        self.logger = logger
        gate = RequestGate(width: settings.concurrency)
        retry = RetryPolicy(retries: settings.retries, base: backoffBase)
        credentials = try Credentials(settings.auth, environment: environment)
        reader = ResponseReader(url: settings.url.absoluteString, credentials: credentials)
        let timeout = TimeAmount.milliseconds(Int64(max(settings.timeout, 0.001) * 1000))
        var configuration = HTTPClient.Configuration(
            timeout: .init(connect: min(timeout, .seconds(10)), read: timeout))
        configuration.tlsConfiguration = try TLSFiles.configuration(settings.tls)
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(settings.concurrency, 1)
        // We retry with our own backoff (and count attempts), so a refused connection must fail at once.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.redirectConfiguration = .disallow
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Closes connections. Call once when done.
    public func shutdown() async {
        try? await http.shutdown()
    }

    /// Runs `body` with a new client and shuts the client down afterwards, whether `body` returns or throws.
    public static func using<T>(
        settings: PrometheusSettings, logger: Logger, backoffBase: Double = 0.5,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        _ body: (PrometheusClient) async throws -> T
    ) async throws -> T {
        let client = try PrometheusClient(
            settings: settings, logger: logger, backoffBase: backoffBase,
            environment: environment)
        do {
            let result = try await body(client)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }

    /// What was fetched so far: queries, series, samples, bytes, time waiting.
    public var statistics: FetchStats.Snapshot { stats.snapshot() }

    /// Whether the answers so far came from VictoriaMetrics (see ``BackendKind``).
    public var isVictoriaMetrics: Bool { kind.isVictoriaMetrics }

    /// The base URL for messages and the manifest (never holds credentials).
    public var displayURL: String { settings.url.absoluteString }

    // MARK: - API calls

    /// `/api/v1/query`: an instant query, e.g. a range-vector selector returning raw samples.
    public func query(_ promql: String, at time: Date) async throws -> QueryResult {
        try await runQuery(
            path: "/api/v1/query", promql: promql,
            form: [("query", promql), ("time", Self.timestamp(time))])
    }

    /// `/api/v1/query_range`, split so that no request asks for more than
    /// ``RangeSplit/maxPointsPerSeries`` points per series; the parts are joined per series.
    /// - Parameters:
    ///   - start: first evaluation time (inclusive).
    ///   - end: last evaluation time (inclusive, as the API has it).
    public func queryRange(_ promql: String, start: Date, end: Date, stepSeconds: Int) async throws -> QueryResult {
        try await queryRange(
            promql, start: start, end: end, stepSeconds: stepSeconds,
            maxPointsPerRequest: RangeSplit.maxPointsPerSeries)
    }

    /// ``queryRange(_:start:end:stepSeconds:)`` with another split size (tests use `.max` for "unsplit").
    func queryRange(_ promql: String, start: Date, end: Date, stepSeconds: Int, maxPointsPerRequest: Int)
        async throws -> QueryResult
    {
        let windows = RangeSplit.windows(
            start: start, end: end, stepSeconds: stepSeconds, maxPoints: maxPointsPerRequest)
        func part(_ window: (start: Date, end: Date)) async throws -> QueryResult {
            try await runQuery(
                path: "/api/v1/query_range", promql: promql,
                form: [
                    ("query", promql), ("start", Self.timestamp(window.start)), ("end", Self.timestamp(window.end)),
                    ("step", String(stepSeconds)),
                ])
        }
        // One request (nearly always): its answer as it is, nothing to join.
        if windows.count == 1 { return try await part(windows[0]) }
        var joined = SeriesJoiner()
        var warnings: [String] = []
        var bytes = 0
        for window in windows {
            let part = try await part(window)
            joined.append(part.series)
            warnings += part.warnings.filter { !warnings.contains($0) }
            bytes += part.bytes
        }
        return QueryResult(series: joined.series, warnings: warnings, bytes: bytes)
    }

    /// `/api/v1/series`: label sets of the series matching `selector` in `[start, end]`.
    public func series(_ selector: String, start: Date, end: Date) async throws -> [[String: String]] {
        let response = try await post(
            path: "/api/v1/series",
            form: [
                ("match[]", selector), ("start", Self.timestamp(start)),
                ("end", Self.timestamp(end)),
            ], query: selector)
        let decoded = try reader.parseSeriesList(response.body)
        try reader.checkStatus(decoded.status, errorType: decoded.errorType, error: decoded.error, query: selector)
        let labelSets = decoded.labelSets ?? []
        logFetched(
            "/api/v1/series", selector, series: labelSets.count, points: 0, bytes: response.body.readableBytes,
            attempts: response.attempts, seconds: response.seconds)
        return labelSets
    }

    /// `/api/v1/label/<name>/values` in `[start, end]`, over all series.
    public func labelValues(_ name: String, start: Date, end: Date) async throws -> [String] {
        let path = "/api/v1/label/\(name)/values"
        let response = try await post(
            path: path, form: [("start", Self.timestamp(start)), ("end", Self.timestamp(end))], query: path, get: true)
        let decoded = try reader.decode(ListResponse<String>.self, from: response.body)
        try reader.checkStatus(decoded.status, errorType: decoded.errorType, error: decoded.error, query: path)
        let values = decoded.data ?? []
        logFetched(
            path, name, series: 0, points: values.count, bytes: response.body.readableBytes,
            attempts: response.attempts, seconds: response.seconds)
        return values
    }

    // MARK: - Internals

    /// The `--verbose` line of one request.
    private func logFetched(
        _ endpoint: String, _ query: String, series: Int, points: Int, bytes: Int, attempts: Int, seconds: Double
    ) {
        logger.debug(
            "fetched",
            metadata: [
                "endpoint": .string(endpoint), "query": .string(query), "series": .stringConvertible(series),
                "points": .stringConvertible(points), "bytes": .stringConvertible(bytes),
                "attempts": .stringConvertible(attempts), "seconds": .string(String(format: "%.3f", seconds)),
            ])
    }

    private func runQuery(path: String, promql: String, form: [(String, String)]) async throws -> QueryResult {
        // Thanos reads `partial_response`: with false it fails the query instead of answering without a store.
        let form = form + [("partial_response", settings.allowPartialResponse ? "true" : "false")]
        let response = try await post(path: path, form: form, query: promql, streams: true)
        let decoded: QueryResponse
        if var stream = response.stream {
            decoded = try reader.finish(&stream)
        } else {
            decoded = try reader.parseQuery(response.body)
        }
        try reader.checkStatus(decoded.status, errorType: decoded.errorType, error: decoded.error, query: promql)
        var warnings = reader.warnings(decoded.warnings)
        if decoded.isPartialAnswer {
            guard settings.allowPartialResponse else {
                throw FetchError.partialResponse(url: displayURL, query: promql)
            }
            warnings.append(
                "partial response accepted (prometheus.allow_partial_response): some stores did not "
                    + "answer, so usage may be missing for \(promql)")
        }
        guard let series = decoded.result else {
            throw FetchError.badResponse(url: displayURL, detail: "no data in a successful answer")
        }
        let points = series.reduce(0) { $0 + $1.samples.count }
        stats.record(series: series.count, samples: points)
        logFetched(
            path, promql, series: series.count, points: points, bytes: response.bytes, attempts: response.attempts,
            seconds: response.seconds)
        return QueryResult(series: series, warnings: warnings, bytes: response.bytes)
    }

    /// POSTs a form to `path` under the base URL, retrying what is worth retrying.
    /// - Parameter streams: read a 200 answer as it arrives into a ``ResultStream`` (a query
    ///   answer), instead of collecting its body.
    /// - Returns: the body of the 200 answer (empty when streamed) or its stream, its size, the
    ///   attempts it took and the seconds the last one took.
    private func post(
        path: String, form: [(String, String)], query: String, get: Bool = false, streams: Bool = false
    ) async throws -> (body: ByteBuffer, stream: ResultStream?, bytes: Int, attempts: Int, seconds: Double) {
        let request = makeRequest(path: path, form: form, get: get)
        await gate.enter()
        defer { gate.leave() }
        var lastProblem = ""
        for attempt in 1...retry.attempts {
            let started = ContinuousClock.now
            var retryAfter: String?
            do {
                let response = try await http.execute(
                    request, timeout: .milliseconds(Int64(settings.timeout * 1000)),
                    logger: nil)
                let status = Int(response.status.code)
                if status == 200, streams {
                    let stream = try await read(response.body)
                    let elapsed = started.duration(to: .now)
                    stats.record(request: elapsed, bytes: stream.size)
                    kind.observe(serverHostname: response.headers.first(name: "X-Server-Hostname"))
                    return (ByteBuffer(), stream, stream.size, attempt, Self.seconds(elapsed))
                }
                let body = try await response.body.collect(upTo: Self.maxBodyBytes)
                let elapsed = started.duration(to: .now)
                stats.record(request: elapsed, bytes: body.readableBytes)
                if status == 200 {
                    kind.observe(serverHostname: response.headers.first(name: "X-Server-Hostname"))
                    return (body, nil, body.readableBytes, attempt, Self.seconds(elapsed))
                }
                try rejectAPIError(status: status, body: body, query: query)
                guard RetryPolicy.isRetryable(status: status), attempt < retry.attempts else {
                    throw FetchError.httpStatus(
                        url: displayURL, status: status, body: reader.snippet(body), attempts: attempt)
                }
                lastProblem = "HTTP \(status)"
                retryAfter = response.headers.first(name: "Retry-After")
            } catch let error as FetchError {
                throw error
            } catch let error as NIOTooManyBytesError {
                throw FetchError.badResponse(
                    url: displayURL,
                    detail: "answer larger than \(Self.maxBodyBytes) bytes "
                        + "(\(error)); lower prometheus.chunk")
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                lastProblem = credentials.redact(
                    NetworkProblem.describe(
                        error,
                        tls: settings.url.scheme == "https"
                            ? settings.tls : nil))
                if attempt == retry.attempts {
                    throw FetchError.unreachable(url: displayURL, reason: lastProblem, attempts: attempt)
                }
            }
            let delay = retry.delay(afterAttempt: attempt, retryAfter: retryAfter)
            // Concurrent requests meeting the same problem retry together: one warning per round.
            let level: Logger.Level = retryLog.shouldWarn(attempt: attempt, problem: lastProblem) ? .warning : .debug
            logger.log(
                level: level, "retrying Prometheus request",
                metadata: [
                    "url": .string(displayURL + path), "problem": .string(lastProblem),
                    "attempt": .stringConvertible(attempt), "delay_s": .string(String(format: "%.2f", delay)),
                ])
            try await Task.sleep(nanoseconds: UInt64(delay * 1e9))
        }
        throw FetchError.unreachable(url: displayURL, reason: lastProblem, attempts: retry.attempts)
    }

    /// A query answer's body read into a ``ResultStream`` as it arrives (a series that cannot be
    /// read is a ``FetchError/badResponse(url:detail:)``, not retried).
    private func read(_ body: HTTPClientResponse.Body) async throws -> ResultStream {
        var stream = ResultStream()
        for try await chunk in body {
            guard stream.size + chunk.readableBytes <= Self.maxBodyBytes else {
                throw FetchError.badResponse(
                    url: displayURL,
                    detail: "answer larger than \(Self.maxBodyBytes) bytes; lower prometheus.chunk")
            }
            do {
                try chunk.readableBytesView.withUnsafeBytes { try stream.feed($0) }
            } catch let failure as JSONScanner.Failure {
                throw reader.failure(failure, start: stream.head, size: stream.size)
            }
        }
        return stream
    }

    /// The API puts query errors in a JSON body with a 4xx/5xx status: report those as such,
    /// except for the statuses that mean "try again later".
    private func rejectAPIError(status: Int, body: ByteBuffer, query: String) throws {
        guard status != 429, status != 503,
            let decoded = try? reader.parseQuery(body),
            decoded.status == "error"
        else { return }
        try reader.checkStatus(decoded.status, errorType: decoded.errorType, error: decoded.error, query: query)
    }

    /// A POST of `form`, or with `get` a GET with `form` as the query string (Prometheus serves
    /// label values by GET only).
    private func makeRequest(path: String, form: [(String, String)], get: Bool = false) -> HTTPClientRequest {
        if get {
            var request = HTTPClientRequest(url: settings.url.absoluteString + path + "?" + FormEncoding.encode(form))
            request.method = .GET
            addHeaders(&request)
            return request
        }
        var request = HTTPClientRequest(url: settings.url.absoluteString + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        addHeaders(&request)
        request.body = .bytes(ByteBuffer(string: FormEncoding.encode(form)))
        return request
    }

    private func addHeaders(_ request: inout HTTPClientRequest) {
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "chargeback/\(ChargebackVersion.string)")
        for (name, value) in settings.headers.sorted(by: { $0.key < $1.key }) {
            request.headers.add(name: name, value: value)
        }
        if let authorization = credentials.authorization {
            request.headers.add(name: "Authorization", value: authorization)
        }
    }

    static let maxBodyBytes = 1 << 30

    private static func timestamp(_ date: Date) -> String {
        String(format: "%.3f", date.timeIntervalSince1970)
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
