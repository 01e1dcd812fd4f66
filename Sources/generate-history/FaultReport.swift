import Foundation

/// faults.json: the scrape setup of each gateway and every injected fault and scrape gap.
/// Keys are snake_case; every time is RFC 3339 UTC with milliseconds; absent fields do not apply.
struct FaultReport: Encodable {
    struct GatewayInfo: Encodable {
        let gateway: String
        let pods: [String]
        let models: [String]
        let exportsCost: Bool
        let scrapeIntervalSeconds: Int
        let scrapePhaseMs: Int64
        let scrapeJitterMaxMs: Int64
        let scrapes: Int
        let firstScrape: String?
        let lastScrape: String?
    }

    struct SeriesStart: Encodable {
        let tokenType: String
        let firstSample: String
    }

    struct Unscraped: Encodable {
        let model: String
        let tokenType: String
        let tokens: Int64
    }

    struct Fault: Encodable {
        let kind: FaultKind
        let gateway: String
        let pod: String
        /// When it began: the restart, the new pod's start, the first request, the gap's window start.
        let time: String
        var end: String?
        var missedScrapes: Int?
        var lastScrapeBefore: String?
        var firstScrapeAfter: String?
        var oldPod: String?
        var oldPodLastScrape: String?
        var oldPodStopped: String?
        var model: String?
        var firstRequest: String?
        var series: [SeriesStart]?
        var unscraped: [Unscraped]?
        var unscrapedCostUsd: Decimal?
        fileprivate var sortKey: Millis = 0

        enum CodingKeys: String, CodingKey {
            case kind, gateway, pod, time, end, missedScrapes, lastScrapeBefore, firstScrapeAfter, oldPod
            case oldPodLastScrape, oldPodStopped, model, firstRequest, series, unscraped, unscrapedCostUsd
        }
    }

    let generator = "generate-history"
    let seed: UInt64
    let start: String
    let end: String
    let gateways: [GatewayInfo]
    let faults: [Fault]

    /// Writes the report as pretty, key-sorted JSON.
    func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        guard FileManager.default.createFile(atPath: path, contents: data) else {
            throw OutputError(description: "cannot write \(path)")
        }
    }
}

extension FaultReport.Fault {
    init(kind: FaultKind, gateway: Int, pod: String, time: Millis) {
        self.init(kind: kind, gateway: World.gateways[gateway].name, pod: pod, time: stamp(time))
        sortKey = time
    }
}

extension Array where Element == FaultReport.Fault {
    /// In time order.
    func chronological() -> [FaultReport.Fault] {
        enumerated().sorted { ($0.element.sortKey, $0.offset) < ($1.element.sortKey, $1.offset) }.map(\.element)
    }
}

/// RFC 3339 UTC with milliseconds, as used throughout faults.json.
func stamp(_ time: Millis) -> String {
    UTC.format(time, milliseconds: true)
}

/// RFC 3339 UTC with milliseconds, or nil.
func stampIfAny(_ time: Millis?) -> String? {
    time.map { UTC.format($0, milliseconds: true) }
}
