import Foundation

extension Coverage {
    /// The events of the series on `gateways` only (resets, starts, stops and gaps), for a team's
    /// pack: a team sees the data quality of what it pays for, not another team's scrape gaps.
    /// The counts of series and samples stay the whole report's (the coverage ratio is the data's).
    /// - Parameter label: the gateway label's name (`metrics.labels.gateway`).
    func scoped(toGateways gateways: Set<String>, label: String) -> Coverage {
        let onGateway = { (series: String) in Self.value(of: label, in: series).map(gateways.contains) ?? false }
        var scoped = self
        scoped.resets = resets.filter { onGateway($0.series) }
        scoped.startedInPeriod = startedInPeriod.filter { onGateway($0.series) }
        scoped.stoppedInPeriod = stoppedInPeriod.filter { onGateway($0.series) }
        scoped.gaps = gaps.filter { onGateway($0.series) }
        return scoped
    }

    /// The value of `label` in a series identity written as PromQL (`{gateway="a",pod="b"}`).
    package static func value(of label: String, in series: String) -> String? {
        guard let range = series.range(of: "{\(label)=\"") ?? series.range(of: ",\(label)=\"") else { return nil }
        return String(series[range.upperBound...].prefix { $0 != "\"" })
    }
}
