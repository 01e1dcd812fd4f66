import ChargebackModel
import Foundation

/// The "Who spent it" section: per team its top identities of the directory's label with tokens,
/// cost and share, and the identities the directory does not list, with their cost.
enum MarkdownIdentities {
    /// The section's context, or `false` without a directory.
    static func make(_ report: Report) -> Any {
        guard let breakdown = report.identities else { return false }
        let currency = report.currency
        func name(_ identity: String) -> String { identity.isEmpty ? "(none)" : identity }
        let teams: [[String: Any]] = report.allocation.teamOrder.compactMap { team in
            let figures = breakdown.figures(of: team)
            guard !figures.isEmpty else { return nil }
            let top = figures.prefix(IdentityBreakdown.topCount)
            let rest = figures.dropFirst(IdentityBreakdown.topCount)
            let rows: [[String: Any]] = top.map { figure in
                [
                    "identity": name(figure.identity), "tokens": Formatting.count(figure.billableTokens),
                    "cost": currency.format(figure.cost),
                    "share": figure.sharePercent.map { "\(DecimalText.plain($0, minScale: 1)) %" } ?? "",
                ]
            }
            return [
                "team": team, "rows": rows, "count": String(figures.count),
                "hasOthers": !rest.isEmpty, "others": String(rest.count),
                "othersCost": currency.format(rest.reduce(Decimal(0)) { $0 + $1.cost }),
            ]
        }
        let unlisted: [[String: Any]] = breakdown.unlisted.map {
            ["identity": name($0.identity), "cost": currency.format($0.cost)]
        }
        func four(_ value: Decimal?) -> String {
            value.map { DecimalText.plain(Money.round($0, scale: 4), minScale: 4) } ?? ""
        }
        /// Requests to the whole request (fractions only under a split).
        func whole(_ value: Decimal?) -> String {
            value.map { Formatting.count(NSDecimalNumber(decimal: Money.round($0, scale: 0)).int64Value) } ?? ""
        }
        let economics: [[String: Any]] = report.unitEconomics.map { row in
            [
                "team": row.team ?? "Total", "model": row.model ?? (row.team == nil ? "" : "all models"),
                "cost": currency.format(row.cost), "tokens": Formatting.count(row.billableTokens),
                "identities": String(row.activeIdentities), "perThousand": four(row.costPerThousandTokens),
                "perIdentity": row.costPerIdentity.map { currency.format($0) } ?? "",
                "requests": whole(row.requests), "perRequest": four(row.costPerRequest),
            ]
        }
        let measuresRequests = report.unitEconomics.contains { $0.requests != nil }
        return [
            "attribution": attribution(report), "label": breakdown.label, "pseudonymized": breakdown.pseudonymized,
            "teams": teams,
            "hasUnlisted": !unlisted.isEmpty, "unlisted": unlisted, "economics": economics,
            "hasRequests": measuresRequests,
            "currency": currency.code,
        ]
    }

    /// Where the identities came from with `attribution:`: the request log's coverage per gateway
    /// and day, or `false` when they are a label's.
    static func attribution(_ report: Report) -> Any {
        guard let summary = report.attribution else { return false }
        func percent(_ value: Decimal?) -> String { value.map { "\(DecimalText.plain($0, minScale: 1)) %" } ?? "" }
        let rows: [[String: Any]] = summary.coverage.map { row in
            [
                "gateway": row.gateway == AttributionMatch.allGateways ? "all gateways" : row.gateway,
                "day": DateText.day(row.day, in: report.period.timeZone), "counted": Formatting.count(row.counted),
                "logged": Formatting.count(row.logged), "coverage": percent(row.percent),
                "unattributed": Formatting.count(row.unattributed),
            ]
        }
        let total = summary.total
        return [
            "source": summary.source,
            "match": summary.match == .gateway
                ? "gateway, model and token type" : "model and token type across gateways",
            "rows": rows, "counted": Formatting.count(total.counted), "logged": Formatting.count(total.logged),
            "percent": percent(summary.percent), "unattributed": Formatting.count(total.unattributed),
            "name": Attribution.unattributed,
        ]
    }
}
