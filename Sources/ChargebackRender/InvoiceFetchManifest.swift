import ChargebackModel
import Foundation

/// The manifest's record of fetched bills: `invoice_fetches` in a report's `manifest.json`, and the
/// `<provider>-<period>-fetch.json` that `invoices fetch` writes beside its pages.
public enum InvoiceFetchManifest {
    /// Per fetch: provider, endpoint (no key, no query), the UTC days asked for, when, each page's
    /// file, bytes and SHA-256, and the total per currency.
    public static func entries(_ fetches: [FetchedInvoices]) -> [[String: Any]] {
        fetches.map { fetch in
            [
                "provider": fetch.provider.rawValue, "url": fetch.url, "from": DateText.utc(fetch.from),
                "to": DateText.utc(fetch.to), "fetched_at": DateText.utc(fetch.fetchedAt),
                "pages": fetch.pages.map {
                    ["file": $0.file, "bytes": $0.data.count, "sha256": $0.sha256] as [String: Any]
                },
                "lines": fetch.invoices.reduce(0) { $0 + $1.lines.count },
                "totals": fetch.totals.mapValues { DecimalText.plain($0, minScale: 2) },
            ] as [String: Any]
        }
    }

    /// `invoices fetch`'s own manifest: the fetch and the period it was for.
    public static func render(_ fetch: FetchedInvoices, period: Period, commandLine: [String]) throws -> Data {
        var entry = entries([fetch])[0]
        entry["tool"] = ["name": "chargeback", "version": ChargebackVersion.string]
        entry["command"] = commandLine
        entry["period"] = period.label
        return try JSONSerialization.data(withJSONObject: entry, options: [.prettyPrinted, .sortedKeys])
            + Data("\n".utf8)
    }
}
