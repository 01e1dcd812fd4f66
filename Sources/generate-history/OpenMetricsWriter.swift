import Foundation

/// Writes history.om: metadata, then one line per sample, then `# EOF`.
///
/// The token metric's name ends in `_sum` without being part of a histogram family, so it is
/// declared `unknown`; promtool accepts that (as it does no TYPE line at all).
final class OpenMetricsWriter {
    private var file: BufferedFile?
    /// Samples written so far.
    private(set) var sampleCount = 0
    /// Bytes written so far, over all files.
    var byteCount: Int { closedBytes + (file?.byteCount ?? 0) }
    private var closedBytes = 0
    /// Files written so far.
    private(set) var fileCount = 0

    /// Where parts go, and how long each is (0: one file, `path`).
    private let path: String
    private let partMillis: Millis
    private let maxPending: Int
    /// Samples at or after this time start the next file.
    private var partEnd: Millis = .max
    private var partPath = ""

    /// One file at `path`.
    init(path: String) throws {
        self.path = path
        partMillis = 0
        maxPending = 0
        try open(path)
    }

    /// Files `directory/history-NNNNN.om`, one per `partHours` aligned to the epoch (NNNNN is the
    /// part's index since 1970). Each is written as `.om.partial` and renamed when complete; with
    /// `maxPending` > 0 a finished part is renamed only once fewer than that many are still in
    /// `directory` (an importer deletes them), so at most `maxPending` + 1 parts exist at once.
    init(partsIn directory: String, partHours: Int, maxPending: Int) throws {
        path = directory
        partMillis = Millis(partHours) * UTC.hour
        self.maxPending = maxPending
        partEnd = .min
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw OutputError(description: "cannot create directory \(directory): \(error.localizedDescription)")
        }
    }

    private func open(_ path: String) throws {
        let file = try BufferedFile(path: path)
        try file.write(
            """
            # TYPE \(Catalog.tokenMetric) unknown
            # HELP \(Catalog.tokenMetric) Sum of the gen_ai.client.token.usage histogram: tokens used.
            # TYPE \(Catalog.requestMetric) unknown
            # HELP \(Catalog.requestMetric) Count of the gen_ai.client.token.usage histogram: observations.
            # TYPE agentgateway_gen_ai_client_cost_usd counter
            # HELP agentgateway_gen_ai_client_cost_usd Cost of the requests in USD, from the gateway's model catalog.

            """)
        self.file = file
        fileCount += 1
    }

    /// Ends the current part and starts the one holding `time`.
    private func rotate(to time: Millis) throws {
        try closeCurrent()
        let index = UTC.floorDiv(time, partMillis)
        partEnd = (index + 1) * partMillis
        let name = "history-" + String(repeating: "0", count: max(0, 5 - String(index).count)) + String(index) + ".om"
        partPath = (path as NSString).appendingPathComponent(name)
        try open(partPath + ".partial")
    }

    private func pendingParts() -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { $0.hasSuffix(".om") }.count
    }

    private func closeCurrent() throws {
        guard let file else { return }
        try file.write("# EOF\n")
        try file.close()
        closedBytes += file.byteCount
        self.file = nil
        if partMillis > 0 {
            // The finished part waits (as .partial) while `maxPending` parts are still unimported.
            if maxPending > 0 {
                while pendingParts() >= maxPending { Thread.sleep(forTimeInterval: 0.2) }
            }
            guard rename(partPath + ".partial", partPath) == 0 else {
                throw OutputError(description: "cannot rename \(partPath).partial: errno \(errno)")
            }
        }
    }

    /// The bytes `metric{labels} ` that start every sample line of one series.
    static func seriesPrefix(metric: String, labels: [(String, String)]) -> [UInt8] {
        let body = labels.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",")
        return Array("\(metric){\(body)} ".utf8)
    }

    /// A counter sample with an integer value.
    func sample(_ prefix: [UInt8], integer value: Int64, at time: Millis) throws {
        if time >= partEnd { try rotate(to: time) }
        let file = self.file!
        file.append(prefix)
        file.appendDigits(value)
        try finish(time)
    }

    /// A counter sample in USD, given in micro-cents (exact decimal, trailing zeros trimmed).
    func sample(_ prefix: [UInt8], microCents value: MicroCents, at time: Millis) throws {
        if time >= partEnd { try rotate(to: time) }
        let file = self.file!
        file.append(prefix)
        file.appendDigits(value / 100_000_000)
        var fraction = value % 100_000_000
        if fraction != 0 {
            var width = 8
            while fraction % 10 == 0 {
                fraction /= 10
                width -= 1
            }
            file.append(UInt8(ascii: "."))
            file.appendDigits(fraction, width: width)
        }
        try finish(time)
    }

    /// Ends the (last) file with `# EOF` and closes it.
    func close() throws {
        try closeCurrent()
    }

    /// ` <seconds>.<millis>\n`
    private func finish(_ time: Millis) throws {
        let file = self.file!
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
