import ChargebackCore
import Foundation

/// The same LLM traffic on three gateways that export agentgateway's token histogram each its own
/// way (`histograms: classic`, `native`, `both` with the classic series kept), scraped every
/// minute from 2026-10-12 12:00 to 2026-10-16 06:00 UTC, written into a Prometheus by
/// ``RemoteWriter``. On 2026-10-14: no scrape from 03:01 to 03:25, a restart of every gateway right
/// after the 10:16 scrape, and the model `claude-3-5-haiku-20241022`, published empty from the
/// start, gets its first request at 15:42: until then its series are classic (`_sum`, `_count`) on
/// every gateway, as Prometheus stores a histogram without observations, and native from then on
/// on the native and both gateways.
enum NativeHistory {
    enum Kind: String, CaseIterable {
        case classic, native, both
    }

    static let histogram = "agentgateway_gen_ai_client_token_usage"
    static let start = DateText.parseInstant("2026-10-12T12:00:00Z")!
    static let minutes = 90 * 60
    /// Scrapes happen 123 ms after each minute.
    static let offsetMillis: Int64 = 123
    static let day = DateText.parseInstant("2026-10-14T00:00:00Z")!
    static let gap = minute(of: "2026-10-14T03:01:00Z")...minute(of: "2026-10-14T03:25:00Z")
    static let restart = minute(of: "2026-10-14T10:17:00Z")
    static let firstHaiku = minute(of: "2026-10-14T15:42:00Z")
    static let models = ["claude-sonnet-4-5-20250929", "claude-3-5-haiku-20241022"]
    static let tokenTypes = ["input", "output"]

    static func gateway(_ kind: Kind) -> String { "agentgateway-system/\(kind.rawValue)" }

    static func minute(of text: String) -> Int {
        Int(DateText.parseInstant(text)!.timeIntervalSince(start) / 60)
    }

    static func millis(_ minute: Int) -> Int64 { start.millis + Int64(minute) * 60_000 + offsetMillis }

    /// The tokens of the requests of one series served in minute `(m - 1, m]`.
    static func requests(minute m: Int, series s: Int) -> [Int64] {
        if s >= 2 && m < firstHaiku { return [] }
        let count = (m * 7 + s * 3) % 5
        return (0..<count).map { k in Int64(40 + (m * 13 + s * 29 + k * 71) % 1900) }
    }

    /// Tokens per `token_type` served in the hours of `day` (sample hours: what a scrape at
    /// `t` shows lands in the hour holding `t − 1 ms`), per hour.
    static func servedPerHour(tokenType: String) -> [Int64] {
        var hours = Array(repeating: Int64(0), count: 24)
        for m in 0..<minutes {
            let offset = millis(m) - 1 - day.millis
            guard offset >= 0, offset < 24 * 3_600_000 else { continue }
            let hour = Int(offset / 3_600_000)
            for (s, (_, type)) in seriesList.enumerated() where type == tokenType {
                hours[hour] += requests(minute: m, series: s).reduce(0, +)
            }
        }
        return hours
    }

    /// Requests served on `day` per gateway: the observations of the `input` series (sample hours).
    static func servedRequests() -> Int {
        var count = 0
        for m in 0..<minutes {
            let offset = millis(m) - 1 - day.millis
            guard offset >= 0, offset < 24 * 3_600_000 else { continue }
            for (s, (_, type)) in seriesList.enumerated() where type == "input" {
                count += requests(minute: m, series: s).count
            }
        }
        return count
    }

    static let seriesList: [(String, String)] = models.flatMap { model in tokenTypes.map { (model, $0) } }

    /// Writes the whole history, two hours per request.
    static func write(to url: String) async throws {
        struct State {
            var count: UInt64 = 0
            var sum: Double = 0
            var buckets: [Int: UInt64] = [:]
        }
        var states = Array(repeating: State(), count: seriesList.count)
        var batch: [String: RemoteWriter.Series] = [:]
        func add(
            _ name: String, _ labels: [String: String], float: (Int64, Double)? = nil,
            native: RemoteWriter.Histogram? = nil
        ) {
            var all = labels
            all["__name__"] = name
            let key = UsageAccumulatorKey.text(all)
            var series = batch[key] ?? RemoteWriter.Series(labels: all)
            if let float { series.floats.append(float) }
            if let native { series.histograms.append(native) }
            batch[key] = series
        }
        for m in 0..<minutes {
            if m == restart { states = Array(repeating: State(), count: seriesList.count) }
            for (s, _) in seriesList.enumerated() {
                for tokens in requests(minute: m, series: s) {
                    states[s].count += 1
                    states[s].sum += Double(tokens)
                    states[s].buckets[RemoteWriter.bucket(of: Double(tokens)), default: 0] += 1
                }
            }
            if !gap.contains(m) {
                let t = millis(m)
                for kind in Kind.allCases {
                    for (s, (model, type)) in seriesList.enumerated() {
                        let labels = [
                            "gateway": gateway(kind), "gen_ai_request_model": model, "gen_ai_response_model": model,
                            "gen_ai_token_type": type, "gen_ai_system": "anthropic", "gen_ai_operation_name": "chat",
                            "job": "agentgateway", "pod": "\(kind.rawValue)-0", "namespace": "agentgateway-system",
                        ]
                        let state = states[s]
                        let empty = s >= 2 && m < firstHaiku
                        if kind == .classic || empty || kind == .both {
                            add(histogram + "_sum", labels, float: (t, state.sum))
                            add(histogram + "_count", labels, float: (t, Double(state.count)))
                        }
                        if kind != .classic && !empty {
                            add(
                                histogram, labels,
                                native: .init(millis: t, count: state.count, sum: state.sum, buckets: state.buckets))
                        }
                    }
                }
            }
            if (m + 1) % 120 == 0 || m == minutes - 1 {
                try await RemoteWriter.send(batch.keys.sorted().map { batch[$0]! }, to: url)
                batch = [:]
            }
        }
    }
}

/// A text key of a label set, for grouping the samples of one series.
enum UsageAccumulatorKey {
    static func text(_ labels: [String: String]) -> String {
        labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }
}
