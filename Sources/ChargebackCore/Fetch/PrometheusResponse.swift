import Foundation

/// One series of a matrix or vector result: its labels and (ms since 1970, value) samples.
public struct SeriesSamples: Sendable {
    public let labels: [String: String]
    public let samples: [(Int64, Double)]
}

/// The decoded body of `/api/v1/query` and `/api/v1/query_range`.
struct QueryResponse: Decodable {
    let status: String
    let data: ResultData?
    let errorType: String?
    let error: String?
    let warnings: [String]?
    /// Set by Thanos-style proxies when a store did not answer.
    let partialResponse: Bool?
    /// VictoriaMetrics cluster's name for the same thing (a vmstorage node did not answer).
    let isPartial: Bool?

    /// Whether the backend says some of the data is missing.
    var isPartialAnswer: Bool { partialResponse == true || isPartial == true }

    private enum CodingKeys: String, CodingKey { case status, data, errorType, error, warnings, partialResponse, isPartial }

    struct ResultData: Decodable {
        let resultType: String
        let result: [Series]

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            resultType = try container.decode(String.self, forKey: .resultType)
            switch resultType {
            case "matrix", "vector":
                result = try container.decode([Series].self, forKey: .result)
            case "scalar", "string":
                let pair = try container.decode(SamplePair.self, forKey: .result)
                result = [Series(metric: [:], values: [pair])]
            default:
                throw DecodingError.dataCorruptedError(forKey: .resultType, in: container,
                                                       debugDescription: "unknown resultType \(resultType)")
            }
        }

        private enum CodingKeys: String, CodingKey { case resultType, result }
    }

    struct Series: Decodable {
        let metric: [String: String]
        let values: [SamplePair]

        init(metric: [String: String], values: [SamplePair]) {
            self.metric = metric
            self.values = values
        }

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            metric = try container.decodeIfPresent([String: String].self, forKey: .metric) ?? [:]
            if let values = try container.decodeIfPresent([SamplePair].self, forKey: .values) {
                self.values = values
            } else if let value = try container.decodeIfPresent(SamplePair.self, forKey: .value) {
                self.values = [value]
            } else {
                self.values = []
            }
        }

        private enum CodingKeys: String, CodingKey { case metric, values, value }
    }

    /// `[1435781430.781, "1"]`: seconds as a number, value as a string (it may be `NaN`, `+Inf`).
    struct SamplePair: Decodable {
        let millis: Int64
        let value: Double

        init(from decoder: Decoder) throws {
            var container = try decoder.unkeyedContainer()
            let seconds = try container.decode(Double.self)
            let text = try container.decode(String.self)
            guard seconds.isFinite, abs(seconds) < 1e11 else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "bad timestamp \(seconds)")
            }
            millis = Int64((seconds * 1000).rounded())
            switch text {
            case "NaN": value = .nan
            case "+Inf", "Inf": value = .infinity
            case "-Inf": value = -.infinity
            default:
                guard let parsed = Double(text) else {
                    throw DecodingError.dataCorruptedError(in: container, debugDescription: "bad sample value \(text)")
                }
                value = parsed
            }
        }
    }
}

/// The decoded body of `/api/v1/series` and `/api/v1/label/<name>/values`.
struct ListResponse<Item: Decodable>: Decodable {
    let status: String
    let data: [Item]?
    let errorType: String?
    let error: String?
    let warnings: [String]?
}
