import ChargebackModel
import Crypto
import Foundation

/// `manifest.json`: the audit trail of a run — what went in, what was asked, what came out.
public enum ManifestRenderer {
    /// One output as the manifest lists it: its name, size and SHA-256.
    public struct Output: Sendable {
        public let file: String
        public let bytes: Int
        public let sha256: String

        /// Hashes the staged file at `path` a mebibyte at a time, so hashing a file of tens of
        /// megabytes (a FOCUS file of 50,000 series) never holds it whole.
        /// - Throws: ``OutputError`` when it cannot be read back.
        public init(file: String, path: String) throws {
            let unreadable = OutputError(message: "cannot read back the staged \(file)")
            guard let handle = FileHandle(forReadingAtPath: path) else { throw unreadable }
            defer { try? handle.close() }
            var hasher = SHA256()
            var count = 0
            do {
                while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                    hasher.update(data: chunk)
                    count += chunk.count
                }
            } catch {
                throw unreadable
            }
            self.file = file
            bytes = count
            sha256 = hasher.finalize().hex
        }
    }

    /// - Parameter outputs: every other output, hashed.
    public static func render(_ report: Report, commandLine: [String], outputs: [Output]) throws -> Data {
        let zone = report.period.timeZone
        let coverage = report.coverage
        var manifest: [String: Any] = [
            "tool": ["name": "chargeback", "version": report.toolVersion],
            "generated_at": DateText.utc(report.generatedAt),
            "command": commandLine,
            "period": [
                "label": report.period.label, "start": DateText.rfc3339(report.period.start, in: zone),
                "end": DateText.rfc3339(report.period.end, in: zone), "time_zone": zone.reportName,
                "partial": report.partial,
            ] as [String: Any],
            "backend": ["url": report.prometheusURL],
            "inputs": report.facts.inputFiles.map { file in
                ["role": file.role, "path": file.path, "sha256": sha256(file.contents)]
            },
            "queries": report.queries.map { query -> [String: Any] in
                var entry: [String: Any] = [
                    "endpoint": query.endpoint, "query": query.promql,
                    "time": DateText.utc(query.time), "series": query.series,
                    "samples": query.samples,
                ]
                if let start = query.windowStart, let end = query.windowEnd {
                    entry["range"] = ["start": DateText.utc(start), "end": DateText.utc(end)]
                }
                return entry
            },
            "currency": currencyEntry(report.conversion),
            // Amounts in the report's currency, named `_usd` whatever it is: `cost_usd` the ledger's
            // cents as an amount (the teams' `cost_usd` add up to it), `exact_cost_usd` unrounded.
            "totals": [
                "tokens": report.totalTokens, "billable_tokens": report.billableTokens,
                "cost_usd": amount(report.roundedTotal, report.currency),
                "exact_cost_usd": DecimalText.plain(report.totalCost, minScale: 6),
                "teams": report.byTeam.map {
                    [
                        "team": $0.name, "cost_usd": amount($0.cost, report.currency), "tokens": $0.tokens,
                        "billable_tokens": $0.billableTokens,
                    ]
                },
            ] as [String: Any],
            "coverage": [
                "series": coverage.series, "samples": coverage.samples, "missed_samples": coverage.missedSamples,
                "ratio": (coverage.ratio * 1e6).rounded() / 1e6, "resets": coverage.resets.count,
                "gaps": coverage.gapWindows.count, "series_gaps": coverage.gaps.count,
                "gap_seconds": coverage.gapSeconds.rounded(),
                "series_started": coverage.startedInPeriod.count, "series_stopped": coverage.stoppedInPeriod.count,
                "data_start": coverage.dataStart.map { DateText.utc($0) as Any } ?? NSNull(),
                "expected_hours": coverage.expectedHours,
                "uncovered_hours": coverage.uncovered.map {
                    [
                        "from": DateText.utc($0.from), "to": DateText.utc($0.to), "hours": $0.hours,
                        "bridged": $0.bridged,
                        "before_data": $0.beforeData,
                    ] as [String: Any]
                },
            ] as [String: Any],
            "cache_rules": report.cacheRules.map { use in
                [
                    "match": use.rule.match.mapValues(\.pattern),
                    "from": use.rule.from.map { DateText.utc($0) as Any } ?? NSNull(),
                    "includes": use.rule.includes, "origin": use.rule.origin, "keys": use.keys, "hours": use.hours,
                    "tokens_excluded": use.tokensExcluded,
                ] as [String: Any]
            },
            "diagnostics": report.diagnostics.map { ["severity": $0.severity.rawValue, "message": $0.message] },
            "invoices": report.invoiceReconciliation.invoices.map { invoice in
                [
                    "path": invoice.file, "format": invoice.format.rawValue, "sha256": invoice.sha256,
                    "lines": invoice.lines.count, "total": DecimalText.plain(invoice.total, minScale: 2),
                ] as [String: Any]
            },
            "basis": report.basis.rawValue,
            "net_usd": amount(report.netCents, report.currency),
            "outputs": outputs.map { ["file": $0.file, "bytes": $0.bytes, "sha256": $0.sha256] as [String: Any] },
        ]
        if !report.fetchedInvoices.isEmpty {
            manifest["invoice_fetches"] = InvoiceFetchManifest.entries(report.fetchedInvoices)
        }
        if !report.usageSources.isEmpty {
            // Which hours the usage store served, and when they were collected.
            manifest["usage_sources"] = report.usageSources.map { span -> [String: Any] in
                var entry: [String: Any] = [
                    "source": span.source.rawValue, "from": DateText.utc(span.from),
                    "to": DateText.utc(span.to), "hours": span.hours,
                ]
                if span.source == .store, let first = span.collectedFrom, let last = span.collectedTo {
                    entry["store"] = report.storeName ?? ""
                    entry["collected"] = ["first": DateText.utc(first), "last": DateText.utc(last)]
                }
                return entry
            }
        }
        return try JSONSerialization.data(withJSONObject: manifest, options: [.prettyPrinted, .sortedKeys])
            + Data("\n".utf8)
    }

    /// Lower-case hex SHA-256.
    /// The report's currency, and the exchange rate its amounts were converted at (when they were).
    static func currencyEntry(_ conversion: Conversion) -> [String: Any] {
        var entry: [String: Any] = [
            "code": conversion.to, "minor_units": conversion.minorUnits, "prices": conversion.from,
        ]
        if conversion.converts, let date = conversion.date {
            entry["exchange_rate"] = [
                "from": conversion.from, "to": conversion.to, "rate": DecimalText.plain(conversion.rate, minScale: 0),
                "date": date, "origin": conversion.origin ?? "",
            ]
        }
        return entry
    }

    public static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).hex
    }

    /// An amount in the report's currency to its minor unit (`12.30` USD, `1235` JPY); the keys
    /// keep their `_usd` names in every currency (a file-format contract).
    static func amount(_ value: Decimal, _ currency: Currency) -> String {
        DecimalText.plain(currency.round(value), minScale: currency.minorUnit)
    }
}
