import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import Foundation

/// One series of a matrix or vector result: its labels and (ms since 1970, value) samples.
/// A native histogram's samples read as their `sum`, with each sample's observation `count` in
/// ``histogramCounts`` (for the counter-reset rule of native histograms, ``NativeHistograms``).
public struct SeriesSamples: Sendable {
    public let labels: [String: String]
    public let samples: [(Int64, Double)]
    /// Per sample, the native histogram's `count` (`nil` for a float series; NaN for a float
    /// sample of a series that has both kinds).
    public var histogramCounts: [Double]? = nil
}

/// The body of `/api/v1/query` and `/api/v1/query_range`, read in one pass by ``JSONScanner``
/// straight into ``SeriesSamples`` (no intermediate tree: the bodies can be tens of megabytes).
package struct QueryResponse {
    package var status = ""
    package var result: [SeriesSamples]?
    package var errorType: String?
    package var error: String?
    package var warnings: [String]?
    /// Set by Thanos-style proxies when a store did not answer.
    var partialResponse: Bool?
    /// VictoriaMetrics cluster's name for the same thing (a vmstorage node did not answer).
    var isPartial: Bool?

    /// Whether the backend says some of the data is missing.
    package var isPartialAnswer: Bool { partialResponse == true || isPartial == true }

    /// Reads a body.
    /// - Throws: ``JSONScanner/Failure`` naming what is wrong and where.
    package static func parse(_ bytes: UnsafeRawBufferPointer) throws -> QueryResponse {
        var scanner = JSONScanner(bytes)
        // An HTML login page or a proxy's plain-text error: not JSON at all.
        guard try [UInt8(ascii: "{"), UInt8(ascii: "[")].contains(scanner.peek()) else {
            throw JSONScanner.Failure.malformed
        }
        var response = QueryResponse()
        var sawStatus = false
        var data: JSONScanner?
        try scanner.object(at: "") { scanner, key in
            switch key {
            case "status":
                response.status = try scanner.string(at: "status")
                sawStatus = true
            case "data":
                if try scanner.takeNull() { return }
                if sawStatus {
                    response.result = try parseData(&scanner)
                } else {
                    data = scanner  // read after the status is known (Prometheus sends it first)
                    try scanner.skipValue()
                }
            case "errorType": response.errorType = try scanner.takeNull() ? nil : try scanner.string(at: "errorType")
            case "error": response.error = try scanner.takeNull() ? nil : try scanner.string(at: "error")
            case "warnings":
                if try scanner.takeNull() { return }
                var warnings: [String] = []
                try scanner.array(at: "warnings") { scanner, index in
                    warnings.append(try scanner.string(at: "warnings[\(index)]"))
                }
                response.warnings = warnings
            case "partialResponse": response.partialResponse = try scanner.takeNull() ? nil : try scanner.bool(at: key)
            case "isPartial": response.isPartial = try scanner.takeNull() ? nil : try scanner.bool(at: key)
            default: try scanner.skipValue()
            }
        }
        guard scanner.atEnd() else { throw JSONScanner.Failure.malformed }
        guard sawStatus else { throw JSONScanner.Failure.missing(path: "", field: "status") }
        if var data { response.result = try parseData(&data) }
        return response
    }

    /// `{"resultType": …, "result": …}`, in either order.
    private static func parseData(_ scanner: inout JSONScanner) throws -> [SeriesSamples] {
        var resultType: String?
        var series: [SeriesSamples]?
        var pending: JSONScanner?
        try scanner.object(at: "data") { scanner, key in
            switch key {
            case "resultType": resultType = try scanner.string(at: "data.resultType")
            case "result":
                if let resultType {
                    series = try parseResult(&scanner, type: resultType)
                } else {
                    pending = scanner  // read it once the type is known
                    try scanner.skipValue()
                }
            default: try scanner.skipValue()
            }
        }
        guard let resultType else { throw JSONScanner.Failure.missing(path: "data", field: "resultType") }
        if series == nil, var pending { series = try parseResult(&pending, type: resultType) }
        guard let series else { throw JSONScanner.Failure.missing(path: "data", field: "result") }
        return series
    }

    private static func parseResult(_ scanner: inout JSONScanner, type: String) throws -> [SeriesSamples] {
        switch type {
        case "matrix", "vector":
            var series: [SeriesSamples] = []
            var interned = Set<String>()
            try scanner.array(at: "data.result") { scanner, index in
                series.append(try parseSeries(&scanner, path: "data.result[\(index)]", intern: &interned))
            }
            return series
        case "scalar", "string":
            return [SeriesSamples(labels: [:], samples: [try parsePair(&scanner, path: "data.result")])]
        default:
            throw JSONScanner.Failure.invalid(path: "data.resultType", detail: "unknown resultType \(type.prefix(40))")
        }
    }

    /// `{"metric": {…}, "values": [[t, "v"], …]}` or `{"metric": {…}, "value": [t, "v"]}`; a native
    /// histogram's `"histograms"` / `"histogram"` instead (``NativeHistograms/parseSample(_:path:)``).
    /// Label names and values are taken from `interned` when it holds them (and added when not),
    /// so the series of one answer share one copy of each.
    static func parseSeries(
        _ scanner: inout JSONScanner, path: @autoclosure () -> String, intern interned: inout Set<String>
    ) throws -> SeriesSamples {
        var labels: [String: String] = [:]
        var samples: [(Int64, Double)] = []
        var histograms: [(Int64, Double, Double)] = []
        try scanner.object(at: path()) { scanner, key in
            switch key {
            case "metric":
                if try scanner.takeNull() { return }
                labels = try parseLabels(&scanner, path: path() + ".metric", intern: &interned)
            case "values":
                if try scanner.takeNull() { return }
                try scanner.array(at: path() + ".values") { scanner, index in
                    samples.append(try parsePair(&scanner, path: path() + ".values[\(index)]"))
                }
            case "value":
                if try scanner.takeNull() { return }
                samples = [try parsePair(&scanner, path: path() + ".value")]
            case "histograms":
                if try scanner.takeNull() { return }
                try scanner.array(at: path() + ".histograms") { scanner, index in
                    histograms.append(
                        try NativeHistograms.parseSample(&scanner, path: path() + ".histograms[\(index)]"))
                }
            case "histogram":
                if try scanner.takeNull() { return }
                histograms = [try NativeHistograms.parseSample(&scanner, path: path() + ".histogram")]
            default:
                try scanner.skipValue()
            }
        }
        guard !histograms.isEmpty else { return SeriesSamples(labels: labels, samples: samples) }
        return NativeHistograms.merged(labels: labels, floats: samples, histograms: histograms)
    }

    /// A label set `{"name": "value", …}`, its names and values taken from `interned` when it
    /// holds them (and added when not). Texts of up to 15 bytes are kept as they are: Swift stores
    /// them inline, so sharing them saves nothing.
    static func parseLabels(
        _ scanner: inout JSONScanner, path: @autoclosure () -> String, intern interned: inout Set<String>
    ) throws -> [String: String] {
        // Room for a usual label set, so it is not rehashed as it grows.
        var labels = [String: String](minimumCapacity: 12)
        func shared(_ text: String) -> String {
            text.utf8.count <= 15 ? text : interned.insert(text).memberAfterInsert
        }
        try scanner.object(at: path()) { scanner, name in
            let value = try scanner.string(at: path() + "." + name)
            labels[shared(name)] = shared(value)
        }
        return labels
    }

    /// `[1435781430.781, "1"]`: seconds as a number, value as a string (it may be `NaN`, `+Inf`).
    private static func parsePair(_ scanner: inout JSONScanner, path: @autoclosure () -> String) throws -> (
        Int64, Double
    ) {
        guard try scanner.take(UInt8(ascii: "[")) else {
            throw JSONScanner.Failure.shape(path: path(), expected: "an array")
        }
        let millis = try scanner.milliseconds(at: path() + "[0]")
        try scanner.expect(UInt8(ascii: ","))
        let value = try scanner.sampleValue(at: path() + "[1]")
        try scanner.expect(UInt8(ascii: "]"))
        return (millis, value)
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
