import ChargebackCore
import Foundation

/// The one-screen summary printed on stdout after a successful report.
enum Summary {
    static func text(_ outcome: ReportOutcome) -> String {
        Formatting.$currency.withValue(outcome.report.currency) { text(of: outcome) }
    }

    private static func text(of outcome: ReportOutcome) -> String {
        let report = outcome.report
        var lines: [String] = []
        lines.append(
            "chargeback \(report.period.label) (\(report.period.timeZone.reportName))\(report.partial ? ", partial" : "")"
        )
        lines.append(
            "  total        \(Formatting.money(report.totalCents))   \(Formatting.count(report.billableTokens)) billable tokens"
                + "   coverage \(Formatting.percent(report.coverage.ratio))")
        for team in report.byTeam.sorted(by: { $0.cost > $1.cost }).prefix(5) {
            lines.append(
                "  \(team.name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(Formatting.money(team.cost))")
        }
        let breaches = report.breachSentences
        if !breaches.isEmpty {
            lines.append("  breaches:")
            lines += breaches.prefix(8).map { "    ⚠ \($0)" }
            if breaches.count > 8 { lines.append("    … and \(breaches.count - 8) more (see the report)") }
        }
        let warnings = report.diagnostics.filter { $0.severity == .warning }
        if !warnings.isEmpty { lines.append("  warnings: \(warnings.count) (see the report's data-quality section)") }
        let folder =
            outcome.files.first { $0.lastPathComponent == "manifest.json" }?.deletingLastPathComponent()
            ?? outcome.files.first?.deletingLastPathComponent() ?? URL(fileURLWithPath: ".")
        lines.append("  reports in \(folder.path):")
        let packs = outcome.files.filter {
            $0.deletingLastPathComponent().deletingLastPathComponent().lastPathComponent == "teams"
        }
        lines += outcome.files.filter { !packs.contains($0) }.map { "    \($0.lastPathComponent)" }
        if !packs.isEmpty {
            let teams = Set(packs.map { $0.deletingLastPathComponent().lastPathComponent }).count
            lines.append("    teams/: \(teams) team packs (\(packs.count) files)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// A progress line on stderr, redrawn in place; only on a terminal.
final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()

    static func make(enabled: Bool) -> ProgressLine? { enabled ? ProgressLine() : nil }

    @Sendable func update(_ done: Int, _ total: Int) {
        lock.withLock {
            let width = 30
            let filled = total == 0 ? width : width * done / total
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            FileHandle.standardError.write(Data("\rfetching [\(bar)] \(done)/\(total) queries".utf8))
        }
    }

    func finish() {
        lock.withLock { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
