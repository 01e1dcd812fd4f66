import ChargebackModel
import Foundation

extension CSVReports {
    /// `chargeback-<period>-attribution.csv`: per gateway and day (then the period, `day` empty),
    /// the tokens the counters measured, those agentgateway's request log recorded, the coverage
    /// (logged ÷ counted, percent) and the counted tokens the log does not explain (the
    /// `unattributed` identity).
    public static func attribution(_ summary: AttributionSummary, zone: TimeZone) -> String {
        var table = CSVTable(
            header: [
                "source", "identity", "gateway", "day", "counted_tokens", "logged_tokens", "coverage_pct",
                "unattributed_tokens",
            ])
        func row(
            _ gateway: String, _ day: String, _ counted: Int64, _ logged: Int64, _ percent: Decimal?, _ rest: Int64
        ) {
            table.append([
                .text(summary.source), .text(summary.identity.label), .text(gateway), .text(day),
                .number(String(counted)), .number(String(logged)),
                percent.map { .number(DecimalText.plain($0, minScale: 1)) } ?? .empty, .number(String(rest)),
            ])
        }
        for coverage in summary.coverage {
            row(
                coverage.gateway, DateText.day(coverage.day, in: zone), coverage.counted, coverage.logged,
                coverage.percent, coverage.unattributed)
        }
        let total = summary.total
        row("", "", total.counted, total.logged, summary.percent, total.unattributed)
        return table.text
    }
}
