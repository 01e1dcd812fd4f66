import ChargebackModel
import ChargebackNetwork
import Foundation

/// A series lookup within the backend's limit on matching series (VictoriaMetrics'
/// `-search.maxSeries`, 30,000 by default, for `/api/v1/series`). While the backend answers, it is
/// one request as before. When it refuses, the selector is split by the values of a label (the
/// first of `splitLabels` with two or more values in the range): the series without the label,
/// and the values in two halves by regex, each half halved again while refused, a single value
/// split by the next label. When no label splits it further, the refusal stands, with its remedy
/// (``FetchError/errorDescription``).
package struct SeriesLookup {
    let client: any MetricsBackend
    /// Labels to split by, most distinct values first (a `metrics.fields.add` label, the pod, …).
    let splitLabels: [String]

    package init(client: any MetricsBackend, splitLabels: [String]) {
        self.client = client
        self.splitLabels = splitLabels
    }

    /// The labels to split by for a report of `dimensions`: the labels the report groups by (often
    /// one per user or key), then the scrape target, the gateway, the model and the token type.
    package static func splitLabels(_ dimensions: UsageDimensions) -> [String] {
        var result: [String] = []
        let labels = dimensions.labels
        for label in dimensions.extraLabels + ["pod", "instance", labels.gateway, labels.model, labels.tokenType]
        where !result.contains(label) {
            result.append(label)
        }
        return result
    }

    /// `/api/v1/series` of `selector` in `[start, end]`, split while refused; `requests` counts
    /// the requests made (refused ones and label value lookups included).
    func series(_ selector: String, start: Date, end: Date, requests: inout Int) async throws -> [[String: String]] {
        try await series(selector, [], splitLabels[...], pending: nil, start: start, end: end, requests: &requests)
    }

    /// `/api/v1/series` of `selector` in `[start, end]`, split while refused.
    package func series(_ selector: String, start: Date, end: Date) async throws -> [[String: String]] {
        var requests = 0
        return try await series(selector, start: start, end: end, requests: &requests)
    }

    /// - Parameter pending: values of `labels.first` already matched by the last of `matchers`.
    private func series(
        _ selector: String, _ matchers: [String], _ labels: ArraySlice<String>, pending: [String]?,
        start: Date, end: Date, requests: inout Int
    ) async throws -> [[String: String]] {
        requests += 1
        do {
            return try await client.series(Self.narrow(selector, matchers), start: start, end: end)
        } catch let error as FetchError where Self.isSeriesLimit(error) {
            var labels = labels
            var values = pending
            if let group = values, group.count < 2 {
                labels = labels.dropFirst()
                values = nil
            }
            if values == nil {
                while let label = labels.first, values == nil {
                    requests += 1
                    let found = try await client.labelValues(label, start: start, end: end).sorted()
                    if found.count > 1 { values = found } else { labels = labels.dropFirst() }
                }
            }
            guard let label = labels.first, let group = values else { throw error }
            var result: [[String: String]] = []
            if pending == nil || pending!.count < 2 {
                result += try await series(
                    selector, matchers + [Self.matcher(label, "=", "")], labels.dropFirst(), pending: nil,
                    start: start, end: end, requests: &requests)
            }
            for half in [group[..<(group.count / 2)], group[(group.count / 2)...]] {
                let regex = half.map(PromQLLiteral.literalRegex).joined(separator: "|")
                result += try await series(
                    selector,
                    matchers.dropLast(pending == nil || pending!.count < 2 ? 0 : 1)
                        + [Self.matcher(label, "=~", regex)], labels, pending: Array(half),
                    start: start, end: end, requests: &requests)
            }
            return result
        }
    }

    /// Whether the backend refused for too many matching series (VictoriaMetrics'
    /// `the number of matching timeseries exceeds N`).
    static func isSeriesLimit(_ error: FetchError) -> Bool {
        switch error {
        case .api(_, _, let message, _): message.contains("matching timeseries exceeds")
        case .httpStatus(_, _, let body, _): body.contains("matching timeseries exceeds")
        default: false
        }
    }

    /// `selector` with `matchers` added inside its braces.
    static func narrow(_ selector: String, _ matchers: [String]) -> String {
        guard !matchers.isEmpty else { return selector }
        let added = matchers.joined(separator: ",")
        guard selector.hasSuffix("}") else { return selector + "{" + added + "}" }
        let body = selector.dropLast()
        return body + (body.hasSuffix("{") ? "" : ",") + added + "}"
    }

    private static func matcher(_ label: String, _ op: String, _ value: String) -> String {
        label + op + PromQLLiteral.string(value)
    }
}
