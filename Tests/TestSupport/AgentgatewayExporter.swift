import Foundation
import NIOCore
import NIOHTTP1

/// A stand-in for agentgateway's `/metrics`, one HTTP server per pod, for live-scrape tests.
///
/// Each pod serves what agentgateway's `crates/agentgateway/src/telemetry/metrics.rs` registers
/// for LLM traffic: the histogram `agentgateway_gen_ai_client_token_usage` (`_bucket` with its
/// `TOKEN_USAGE_BUCKET` bounds, `_sum`, `_count`) labelled `gen_ai_token_type`,
/// `gen_ai_operation_name`, `gen_ai_system`, `gen_ai_request_model`, `gen_ai_response_model`,
/// `bind`, `gateway` (`namespace/name`), `listener`, `route`, `route_rule`, and the info metric
/// `agentgateway_build_info{tag}`, in OpenMetrics text as `prometheus_client` writes it.
///
/// Traffic goes through ``serve(pod:system:model:route:tokens:)``, which records every request
/// with its time: that log is the truth. Every answered scrape is logged too (with the
/// `scraper` query parameter the scrape config sends), so a test can say what counters could
/// see. Stop with ``stop()``.
public final class AgentgatewayExporter: @unchecked Sendable {
    /// What a pod does when scraped.
    public enum PodState: Sendable {
        /// Answers with its metrics.
        case serving
        /// Answers 503 (an overloaded or restarting container); traffic still counts.
        case failing
        /// Gone: answers 503 and takes no traffic (a deleted pod, or one not created yet).
        case absent
    }

    /// agentgateway's `histograms:` setting: classic buckets (the default), or native histograms,
    /// which it exposes only through the protobuf format, or both (classic buckets in the text
    /// format, both kinds in protobuf).
    public enum HistogramMode: Sendable {
        case classic
        case native
        case both
    }

    /// A pod: its name (a target label), the gateway it belongs to and its build tag.
    public struct PodSpec: Sendable {
        public let name: String
        public let gateway: String
        public let tag: String
        public let state: PodState
        public let histograms: HistogramMode

        public init(
            name: String, gateway: String, tag: String, state: PodState = .serving,
            histograms: HistogramMode = .classic
        ) {
            self.name = name
            self.gateway = gateway
            self.tag = tag
            self.state = state
            self.histograms = histograms
        }
    }

    /// One request the gateway served, as logged.
    public struct Request: Sendable {
        public let time: Date
        public let pod: String
        public let gateway: String
        public let model: String
        /// Tokens per `gen_ai_token_type`.
        public let tokens: [String: Int64]
    }

    /// One scrape the pod answered with its metrics.
    public struct Scrape: Sendable {
        public let time: Date
        public let pod: String
        public let scraper: String
        /// Whether the scraper's Accept header preferred the protobuf format (native histograms).
        public let protobuf: Bool
    }

    /// An instant at which a pod's counters went back to zero (a container restart, a pod deleted).
    public struct CounterLoss: Sendable {
        public let time: Date
        public let pod: String
    }

    /// agentgateway's `TOKEN_USAGE_BUCKET`.
    public static let bucketBounds: [Double] = [
        1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262_144, 1_048_576,
        4_194_304, 16_777_216, 67_108_864,
    ]

    private struct Histogram {
        let labels: [(String, String)]
        var buckets = [Int64](repeating: 0, count: AgentgatewayExporter.bucketBounds.count)
        var count: Int64 = 0
        var sum: Int64 = 0
        var native = ProtobufExposition.NativeHistogram()
    }

    private final class Pod {
        let spec: PodSpec
        var state: PodState
        /// Histograms by their label text (without `le`), kept in first-seen order.
        var series: [String: Histogram] = [:]
        var order: [String] = []

        init(spec: PodSpec) {
            self.spec = spec
            state = spec.state
        }
    }

    private let lock = NSLock()
    private var pods: [String: Pod] = [:]
    private var servers: [String: LocalHTTPServer] = [:]
    private var requestLog: [Request] = []
    private var scrapeLog: [Scrape] = []
    private var lossLog: [CounterLoss] = []

    private init() {}

    /// Starts one server per pod on free ports of 127.0.0.1.
    public static func start(_ specs: [PodSpec]) async throws -> AgentgatewayExporter {
        let exporter = AgentgatewayExporter()
        for spec in specs {
            exporter.pods[spec.name] = Pod(spec: spec)
            let name = spec.name
            exporter.servers[name] = try await LocalHTTPServer { request, outbound in
                try await exporter.answer(pod: name, request, outbound)
                return .keepReading
            }
        }
        return exporter
    }

    /// The port of `pod`'s server.
    public func port(_ pod: String) -> Int { servers[pod]!.port }

    /// Stops every server.
    public func stop() async {
        for server in servers.values { await server.stop() }
    }

    /// Serves one LLM request on `pod`: observes each token type's count in the histogram, as
    /// agentgateway does after the response (a type the provider did not report is absent).
    /// Returns false (and logs nothing) when the pod is absent.
    @discardableResult
    public func serve(
        pod name: String, system: String, model: String, route: String,
        tokens: [String: Int64]
    ) -> Bool {
        lock.withLock {
            guard let pod = pods[name], pod.state != .absent else { return false }
            for (type, count) in tokens.sorted(by: { $0.key < $1.key }) where count > 0 {
                let pairs = [
                    ("gen_ai_token_type", type), ("gen_ai_operation_name", "chat"), ("gen_ai_system", system),
                    ("gen_ai_request_model", model), ("gen_ai_response_model", model), ("bind", "8080"),
                    ("gateway", pod.spec.gateway), ("listener", "http"), ("route", route), ("route_rule", "default"),
                ]
                let labels = Self.labels(pairs)
                if pod.series[labels] == nil { pod.order.append(labels) }
                var histogram = pod.series[labels] ?? Histogram(labels: pairs)
                histogram.count += 1
                histogram.sum += count
                histogram.native.observe(Double(count))
                for (index, bound) in Self.bucketBounds.enumerated() where Double(count) <= bound {
                    histogram.buckets[index] += 1
                }
                pod.series[labels] = histogram
            }
            requestLog.append(
                Request(
                    time: TestClock.serverNow(), pod: name, gateway: pod.spec.gateway, model: model,
                    tokens: tokens.filter { $0.value > 0 }))
            return true
        }
    }

    /// Sets what `pod` does when scraped.
    public func setState(_ pod: String, _ state: PodState) {
        lock.withLock { pods[pod]?.state = state }
    }

    /// Sets every counter of `pod` back to zero, as a container restart does, and logs the loss.
    public func resetCounters(_ pod: String) {
        lock.withLock {
            pods[pod]?.series = [:]
            pods[pod]?.order = []
            lossLog.append(CounterLoss(time: TestClock.serverNow(), pod: pod))
        }
    }

    /// Every request served so far, in order.
    public var requests: [Request] { lock.withLock { requestLog } }
    /// Every scrape answered so far, in order.
    public var scrapes: [Scrape] { lock.withLock { scrapeLog } }
    /// Every counter reset so far, in order.
    public var losses: [CounterLoss] { lock.withLock { lossLog } }

    /// The exposition `pod` serves right now, in OpenMetrics text.
    public func exposition(_ name: String) -> String {
        lock.withLock { pods[name].map(Self.exposition) ?? "# EOF\n" }
    }

    private func answer(
        pod name: String, _ request: LocalHTTPServer.Request,
        _ outbound: LocalHTTPServer.Outbound
    ) async throws {
        let scraper = URLComponents(string: request.head.uri)?.queryItems?.first { $0.name == "scraper" }?.value ?? ""
        let protobuf = Self.prefersProtobuf(request.head.headers["Accept"].joined(separator: ","))
        let answer: (type: String, body: ByteBuffer)? = lock.withLock {
            guard let pod = pods[name], pod.state == .serving else { return nil }
            scrapeLog.append(Scrape(time: TestClock.serverNow(), pod: name, scraper: scraper, protobuf: protobuf))
            if protobuf && pod.spec.histograms != .classic {
                return (ProtobufExposition.contentType, ByteBuffer(bytes: Self.protobufExposition(pod)))
            }
            return (
                "application/openmetrics-text; version=1.0.0; charset=utf-8", ByteBuffer(string: Self.exposition(pod))
            )
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: answer?.type ?? "text/plain")
        try await LocalHTTPServer.respond(
            outbound, to: request.head, status: answer == nil ? 503 : 200,
            headers: headers, body: answer?.body ?? ByteBuffer(string: "unavailable\n"))
    }

    /// Whether an Accept header ranks the protobuf exposition first (by `q`, then order), as a
    /// Prometheus with native histograms enabled sends it.
    static func prefersProtobuf(_ accept: String) -> Bool {
        let ranked = accept.split(separator: ",").enumerated().map { index, item -> (Double, Int, Bool) in
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            let q = parts.first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return (q, -index, parts.first == "application/vnd.google.protobuf")
        }
        return ranked.max { ($0.0, $0.1) < ($1.0, $1.1) }?.2 ?? false
    }

    /// The protobuf exposition of a pod in `native` mode: native histograms (nothing classic) and
    /// the build info; in `both` mode each histogram has its classic buckets too. (Classic pods
    /// answer in text whatever the scraper prefers.)
    private static func protobufExposition(_ pod: Pod) -> [UInt8] {
        let bytes = ProtobufExposition.histogramFamily(
            name: "agentgateway_gen_ai_client_token_usage", help: "Number of tokens used per request.",
            metrics: pod.order.compactMap { labels in
                pod.series[labels].map { histogram in
                    var native = histogram.native
                    if pod.spec.histograms == .both {
                        native.classic = zip(bucketBounds, histogram.buckets).map { ($0, UInt64($1)) }
                    }
                    return (histogram.labels, native)
                }
            })
        return bytes
            + ProtobufExposition.gaugeFamily(
                name: "agentgateway_build_info",
                help: "Agentgateway build information.",
                metrics: [([("tag", pod.spec.tag)], 1)])
    }

    private static func exposition(_ pod: Pod) -> String {
        let name = "agentgateway_gen_ai_client_token_usage"
        var text = "# HELP \(name) Number of tokens used per request.\n# TYPE \(name) histogram\n"
        // Native histograms exist only in the protobuf format.
        for labels in pod.order where pod.spec.histograms != .native {
            guard let histogram = pod.series[labels] else { continue }
            text += "\(name)_sum{\(labels)} \(histogram.sum).0\n"
            text += "\(name)_count{\(labels)} \(histogram.count)\n"
            for (index, bound) in bucketBounds.enumerated() {
                text += "\(name)_bucket{\(labels),le=\"\(bound)\"} \(histogram.buckets[index])\n"
            }
            text += "\(name)_bucket{\(labels),le=\"+Inf\"} \(histogram.count)\n"
        }
        text += "# HELP agentgateway_build Agentgateway build information.\n# TYPE agentgateway_build info\n"
        text += "agentgateway_build_info{tag=\"\(escape(pod.spec.tag))\"} 1\n# EOF\n"
        return text
    }

    private static func labels(_ pairs: [(String, String)]) -> String {
        pairs.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",")
    }

    private static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}

extension AgentgatewayExporter {
    /// Tokens per `gateway token_type` of the requests served in `[from, to)` (on `pods`, or all).
    public func served(from: Date, to: Date, pods: Set<String>? = nil) -> [String: Int64] {
        Self.tally(requests.filter { $0.time >= from && $0.time < to && (pods?.contains($0.pod) ?? true) })
    }

    /// What counters scraped by `scraper` cannot place exactly, per `gateway token_type`: the
    /// tokens a pod served between its last scrape and each counter loss (never seen), and at each
    /// of `edges`, the tokens served between the last scrape at or before it and the first after it
    /// (which side of the edge they fell on is invisible), each scrape widened by `slack`.
    public func visibleFloor(scraper: String, edges: [Date], slack: TimeInterval = 0.05) -> [String: Int64] {
        let scrapes = self.scrapes.filter { $0.scraper == scraper }
        // Only the pods this scraper reads at all: the others' tokens it never claims to see.
        let scraped = Set(scrapes.map(\.pod))
        let requests = self.requests.filter { scraped.contains($0.pod) }
        var unseen: [Request] = []
        for loss in losses where scraped.contains(loss.pod) {
            let last = scrapes.last { $0.pod == loss.pod && $0.time <= loss.time }?.time ?? .distantPast
            unseen += requests.filter {
                $0.pod == loss.pod && $0.time > last.addingTimeInterval(-slack) && $0.time <= loss.time
            }
        }
        for edge in edges {
            for pod in Set(requests.map(\.pod)) {
                let mine = scrapes.filter { $0.pod == pod }
                let before = mine.last { $0.time <= edge }?.time ?? .distantPast
                let after = mine.first { $0.time > edge }?.time ?? .distantFuture
                unseen += requests.filter {
                    $0.pod == pod && $0.time > before.addingTimeInterval(-slack)
                        && $0.time <= after.addingTimeInterval(slack)
                }
            }
        }
        return Self.tally(unseen)
    }

    private static func tally(_ requests: [Request]) -> [String: Int64] {
        var totals: [String: Int64] = [:]
        for request in requests {
            for (type, tokens) in request.tokens { totals["\(request.gateway) \(type)", default: 0] += tokens }
        }
        return totals
    }
}
