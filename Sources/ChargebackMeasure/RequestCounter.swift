import ChargebackModel
import Foundation

/// The `requests` counter: agentgateway's token histogram's `_count`
/// (`agentgateway_gen_ai_client_token_usage_count`). agentgateway observes the histogram once per
/// request and token type the response reports (`telemetry/log.rs`: `input`, `output`,
/// `input_cache_read`, `input_cache_write`), so the count of one series is that series' requests,
/// and a request is counted once only in its `input` series (every response with usage reports
/// input tokens). Summing the counts over the token types would count each request two to four
/// times.
enum RequestCounter {
    /// The native histogram behind `metrics.requests` (`…_count`): its observation `count` is the
    /// requests, as the classic `_count` (``NativeHistograms``).
    static func nativeName(_ metric: String) -> String? {
        metric.hasSuffix("_count") ? NativeHistogramCheck.histogramName(of: metric) : nil
    }

    /// `metric{<configured matchers>,<token type label>="input"}`.
    static func selector(metric: String, settings: MetricSettings) -> String {
        let base = settings.selector(for: metric)
        let matcher = settings.labels.tokenType + "=" + PromQLLiteral.string(TeamRequests.tokenType)
        guard base.hasSuffix("}") else { return base + "{" + matcher + "}" }
        return String(base.dropLast()) + "," + matcher + "}"
    }
}

extension QueryResult {
    /// A native histogram's samples as their observation `count` instead of their `sum` (float
    /// series, and the float samples of a series of both kinds, as they are).
    var observationCounts: QueryResult {
        QueryResult(
            series: series.map { one in
                guard let counts = one.histogramCounts else { return one }
                var copy = SeriesSamples(
                    labels: one.labels,
                    samples: zip(one.samples, counts).map { sample, count in (sample.0, count.isNaN ? sample.1 : count)
                    })
                copy.histogramCounts = counts
                return copy
            }, warnings: warnings, bytes: bytes)
    }
}
