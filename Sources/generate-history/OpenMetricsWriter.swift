import Foundation

/// Writes history.om: metadata, then one line per sample, then `# EOF`.
///
/// The token metric's name ends in `_sum` without being part of a histogram family, so it is
/// declared `unknown`; promtool accepts that (as it does no TYPE line at all).
final class OpenMetricsWriter {
    private let file: BufferedFile
    /// Samples written so far.
    private(set) var sampleCount = 0
    var byteCount: Int { file.byteCount }

    init(path: String) throws {
        file = try BufferedFile(path: path)
        try file.write("""
            # TYPE \(Catalog.tokenMetric) unknown
            # HELP \(Catalog.tokenMetric) Sum of the gen_ai.client.token.usage histogram: tokens used.
            # TYPE agentgateway_gen_ai_client_cost_usd counter
            # HELP agentgateway_gen_ai_client_cost_usd Cost of the requests in USD, from the gateway's model catalog.

            """)
    }

    /// The bytes `metric{labels} ` that start every sample line of one series.
    static func seriesPrefix(metric: String, labels: [(String, String)]) -> [UInt8] {
        let body = labels.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",")
        return Array("\(metric){\(body)} ".utf8)
    }

    /// A counter sample with an integer value.
    func sample(_ prefix: [UInt8], integer value: Int64, at time: Millis) throws {
        file.append(prefix)
        file.appendDigits(value)
        try finish(time)
    }

    /// A counter sample in USD, given in micro-cents (exact decimal, trailing zeros trimmed).
    func sample(_ prefix: [UInt8], microCents value: MicroCents, at time: Millis) throws {
        file.append(prefix)
        file.appendDigits(value / 100_000_000)
        var fraction = value % 100_000_000
        if fraction != 0 {
            var width = 8
            while fraction % 10 == 0 { fraction /= 10; width -= 1 }
            file.append(UInt8(ascii: "."))
            file.appendDigits(fraction, width: width)
        }
        try finish(time)
    }

    /// Ends the file with `# EOF` and closes it.
    func close() throws {
        try file.write("# EOF\n")
        try file.close()
    }

    /// ` <seconds>.<millis>\n`
    private func finish(_ time: Millis) throws {
        file.append(UInt8(ascii: " "))
        file.appendDigits(UTC.floorDiv(time, 1_000))
        file.append(UInt8(ascii: "."))
        file.appendDigits(time - UTC.floorDiv(time, 1_000) * 1_000, width: 3)
        file.append(UInt8(ascii: "\n"))
        sampleCount += 1
        try file.flushIfFull()
    }

    private static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
