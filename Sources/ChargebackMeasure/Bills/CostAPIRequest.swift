import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import Foundation

/// The requests of the two cost APIs, as their references document them.
///
/// - Anthropic, `GET /v1/organizations/cost_report` (Admin API reference, "Get Cost Report",
///   https://platform.claude.com/docs/en/api/admin/cost_report and
///   https://docs.anthropic.com/en/api/admin-api/usage-cost/get-cost-report): headers `x-api-key`
///   (an Admin key, `sk-ant-admin…`) and `anthropic-version: 2023-06-01`; query `starting_at` and
///   `ending_at` (RFC 3339; buckets that start on or after / end before them, snapped to UTC days),
///   `bucket_width=1d`, `group_by[]=description` (without it `model` and `token_type` are null),
///   `limit` (1…31 buckets, default 7) and `page` (the previous answer's `next_page`).
/// - OpenAI, `GET /v1/organization/costs` (API reference, "Costs",
///   https://developers.openai.com/api/reference/resources/organization/subresources/audit_logs/methods/get_costs
///   and the OpenAPI spec as OpenAPI::Client::OpenAI renders it, `Path/organization-costs.pod`): header
///   `Authorization: Bearer` (an Admin key); query `start_time` (Unix seconds, inclusive),
///   `end_time` (exclusive), `bucket_width=1d` (the only width), `group_by=line_item` (repeated
///   key for an array), `limit` (1…180 buckets, default 7) and `page` (the previous `next_page`).
package struct CostAPIRequest: Sendable {
    let provider: CostProvider
    let base: URL
    /// Whole UTC days: the APIs bucket by UTC day.
    let from: Date
    let to: Date

    /// The endpoint below the base URL.
    var path: String {
        switch provider {
        case .anthropic: "/v1/organizations/cost_report"
        case .openai: "/v1/organization/costs"
        }
    }

    /// The most buckets one page may hold (the APIs' documented maximum).
    var limit: Int { provider == .anthropic ? 31 : 180 }

    /// The query of one page: the first without `page`, the others with the previous `next_page`.
    func query(page: String?) -> [(String, String)] {
        var pairs: [(String, String)]
        switch provider {
        case .anthropic:
            pairs = [
                ("starting_at", DateText.utc(from)), ("ending_at", DateText.utc(to)), ("bucket_width", "1d"),
                ("group_by[]", "description"), ("limit", String(limit)),
            ]
        case .openai:
            pairs = [
                ("start_time", String(Int64(from.timeIntervalSince1970))),
                ("end_time", String(Int64(to.timeIntervalSince1970))), ("bucket_width", "1d"),
                ("group_by", "line_item"), ("limit", String(limit)),
            ]
        }
        if let page { pairs.append(("page", page)) }
        return pairs
    }

    /// The full URL of one page.
    func url(page: String?) -> String {
        base.absoluteString + path + "?" + FormEncoding.encode(query(page: page))
    }

    /// The URL without the query, for messages.
    var endpoint: String { base.absoluteString + path }

    /// The headers carrying the key, and the API version Anthropic requires.
    func headers(key: String) -> [(String, String)] {
        var headers = [
            ("Accept", "application/json"), ("User-Agent", "chargeback/\(ChargebackVersion.string)"),
        ]
        switch provider {
        case .anthropic:
            headers += [("x-api-key", key), ("anthropic-version", "2023-06-01")]
        case .openai:
            headers += [("Authorization", "Bearer " + key)]
        }
        return headers
    }

    /// The UTC days covering `period` up to `now`: `[floor(start), ceil(min(end, now)))`.
    package static func days(of period: Period, now: Date) -> (from: Date, to: Date) {
        func floorDay(_ date: Date) -> Date {
            Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 86400).rounded(.down) * 86400)
        }
        let end = min(period.end, max(now, period.start.addingTimeInterval(1)))
        let from = floorDay(period.start)
        let last = floorDay(end)
        return (from, last == end ? end : last.addingTimeInterval(86400))
    }
}
