import ChargebackConfig
import ChargebackDeliver
import ChargebackMeasure
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation
import NIOCore

/// The parsers of untrusted text, each behind one call taking raw bytes, for the libFuzzer
/// targets (`Sources/chargeback-fuzz`) and the corpus replay tests.
///
/// Each entry point runs the same code the commands run and either returns what it parsed or
/// throws the error a user would see; it must never trap or hang, whatever the bytes.
public enum FuzzEntryPoints {
    /// The instant relative periods (`last-month`, …) are computed from, so runs are repeatable.
    public static let now = Date(timeIntervalSince1970: 1_794_830_400)  // 2026-11-16T12:00:00Z

    /// `chargeback.yaml` without the pricing and team files it names (their paths must be text).
    /// - Throws: ``InputError`` with the file name `chargeback.yaml`.
    public static func parseConfig(_ bytes: [UInt8]) throws -> ConfigSummary {
        let root = try ConfigLoader.parse(Data(bytes), displayName: "chargeback.yaml")
        let main = try ConfigLoader.parseMain(root, base: URL(fileURLWithPath: "/fuzz"))
        _ = try root.required("pricing").string()
        _ = try root.required("teams").string()
        return ConfigSummary(
            prometheus: main.prometheus, metrics: main.metrics, timeZone: main.timeZone,
            thresholds: main.thresholds, gapFactor: main.gapFactor)
    }

    /// `pricing.yaml`.
    /// - Throws: ``InputError`` with the file name `pricing.yaml`.
    public static func parsePriceBook(_ bytes: [UInt8]) throws -> PriceBook {
        try PriceBookParser.parse(ConfigLoader.parse(Data(bytes), displayName: "pricing.yaml"))
    }

    /// `teams.yaml`.
    /// - Throws: ``InputError`` with the file name `teams.yaml`.
    public static func parseTeamBook(_ bytes: [UInt8]) throws -> TeamBook {
        try TeamBookParser.parse(ConfigLoader.parse(Data(bytes), displayName: "teams.yaml"))
    }

    /// The period flags, one per line of UTF-8 text: the `--timezone` name (empty for UTC), then
    /// either the `--period` value, or the `--from` and `--to` values on two lines.
    /// - Throws: ``InputError`` naming the flag.
    public static func parsePeriod(_ bytes: [UInt8]) throws -> Period {
        guard let text = String(data: Data(bytes), encoding: .utf8) else {
            throw InputError(file: nil, "the flags are not UTF-8 text")
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard (2...3).contains(lines.count) else {
            throw InputError(file: nil, "expected a zone line and one or two flag lines")
        }
        // The same check `chargeback report --timezone` makes.
        let zone: TimeZone
        if lines[0].isEmpty {
            zone = TimeZone(identifier: "UTC")!
        } else if let named = TimeZone(identifier: lines[0]) {
            zone = named
        } else {
            throw InputError(file: nil, "--timezone '\(lines[0])' is not an IANA time zone (e.g. UTC, Europe/Berlin)")
        }
        let period =
            lines.count == 2
            ? try Period.parse(lines[1], in: zone, now: now)
            : try Period.range(from: lines[1], to: lines[2], in: zone)
        // What the report command prints about a period that ends in the future.
        _ = DateText.rfc3339(period.end, in: zone)
        _ = DateText.rfc3339(period.start, in: zone)
        return period
    }

    /// One `/api/v1/query_range` answer, decoded and checked the way ``PrometheusClient`` does.
    /// - Returns: the number of samples decoded.
    /// - Throws: ``FetchError`` for a body that is not a successful Prometheus answer.
    /// - Precondition (checked, so the fuzzer reports it): every timestamp is within ±1e14 ms of 1970.
    public static func decodeQueryResponse(_ bytes: [UInt8]) throws -> Int {
        let reader = ResponseReader(url: "http://fuzz", credentials: try Credentials(.none, environment: [:]))
        let decoded = try reader.parseQuery(ByteBuffer(bytes: bytes))
        try reader.checkStatus(decoded.status, errorType: decoded.errorType, error: decoded.error, query: "fuzz")
        _ = reader.warnings(decoded.warnings)
        guard let series = decoded.result else {
            throw FetchError.badResponse(url: "http://fuzz", detail: "no data in a successful answer")
        }
        for sample in series.lazy.flatMap(\.samples) {
            precondition(abs(sample.0) <= 100_000_000_000_000, "decoded timestamp \(sample.0) ms is out of range")
        }
        return series.reduce(0) { $0 + $1.samples.count }
    }

    /// An invoice file (FOCUS CSV, Anthropic cost report, OpenAI costs JSON), told by content.
    /// - Throws: ``InputError`` with the file name `invoice`.
    public static func parseInvoice(_ bytes: [UInt8]) throws -> Invoice {
        try InvoiceReader.parse(Data(bytes), file: "invoice")
    }

    /// What ``parseConfig(_:)`` read from `chargeback.yaml` itself.
    public struct ConfigSummary: Sendable {
        public let prometheus: PrometheusSettings
        public let metrics: MetricSettings
        public let timeZone: TimeZone
        public let thresholds: Thresholds
        public let gapFactor: Double
    }
}
