import Foundation

/// Bodies a fake Prometheus sends: API answers, right and wrong.
public enum FakeAnswers {
    /// One series of a matrix: its labels and (seconds, value) samples.
    public struct Series: Sendable {
        public let labels: [String: String]
        public let samples: [(Double, String)]

        public init(labels: [String: String], samples: [(Double, String)]) {
            self.labels = labels
            self.samples = samples
        }
    }

    /// `status: success` with a matrix of `series`, plus optional extra top-level fields.
    public static func matrix(_ series: [Series], extra: String = "") -> String {
        let result = series.map { one -> String in
            let labels = one.labels.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\"\($0.value)\"" }.joined(
                separator: ",")
            let values = one.samples.map { "[\(String(format: "%.3f", $0.0)),\"\($0.1)\"]" }.joined(separator: ",")
            return "{\"metric\":{\(labels)},\"values\":[\(values)]}"
        }.joined(separator: ",")
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[\(result)]}\(extra)}"
    }

    /// An empty successful matrix.
    public static let empty = matrix([])

    /// `status: error` as Prometheus sends it (HTTP 400 for `bad_data`, 422 for `execution`).
    public static func error(type: String, message: String) -> String {
        "{\"status\":\"error\",\"errorType\":\"\(type)\",\"error\":\"\(message)\"}"
    }

    /// Two token series of one gateway with a few samples around 2026-10-01T00:00Z, for full runs.
    public static let tokenSeries: [Series] = [
        Series(
            labels: [
                "__name__": "agentgateway_gen_ai_client_token_usage_sum", "gateway": "kgateway-system/agentgateway1",
                "gen_ai_token_type": "input", "gen_ai_request_model": "claude-3-5-haiku-20241022",
                "gen_ai_system": "anthropic", "pod": "agw-1",
            ],
            samples: [(1_790_812_790, "100"), (1_790_812_805, "150"), (1_790_812_820, "175")]),
        Series(
            labels: [
                "__name__": "agentgateway_gen_ai_client_token_usage_sum", "gateway": "kgateway-system/agentgateway1",
                "gen_ai_token_type": "output", "gen_ai_request_model": "claude-3-5-haiku-20241022",
                "gen_ai_system": "anthropic", "pod": "agw-1",
            ],
            samples: [(1_790_812_790, "10"), (1_790_812_805, "12")]),
    ]
}
