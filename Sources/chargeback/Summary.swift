import ChargebackCore
import Foundation

/// The one-screen summary printed on stdout after a successful report.
enum Summary {
    static func text(_ outcome: ReportOutcome) -> String {
        let report = outcome.report
        var lines: [String] = []
        lines.append(
            "chargeback \(report.period.label) (\(report.period.timeZone.reportName))\(report.partial ? ", partial" : "")"
        )
        lines.append(
            "  total        \(report.currency.format(report.roundedTotal))   \(Formatting.count(report.billableTokens)) billable tokens"
                + "   coverage \(Formatting.percent(report.coverage.ratio))")
        for team in report.byTeam.sorted(by: { $0.cost > $1.cost }).prefix(5) {
            lines.append(
                "  \(team.name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(report.currency.format(team.cost))"
            )
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

/// A progress line on stderr, redrawn in place; only on a terminal. Each phase of the fetch (the
/// previous period, this period, a trend's periods) gets its own line, left complete when the next
/// begins; within a phase the bar never goes back, though the total grows as the plan unfolds.
final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private var phase: String?
    private var filled = 0
    private static let width = 30

    static func make(enabled: Bool) -> ProgressLine? { enabled ? ProgressLine() : nil }

    @Sendable func update(_ progress: FetchProgress) {
        lock.withLock {
            if progress.phase != phase {
                if phase != nil { FileHandle.standardError.write(Data("\n".utf8)) }
                phase = progress.phase
                filled = 0
            }
            let width = Self.width
            filled = max(filled, progress.total == 0 ? width : width * progress.done / progress.total)
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            FileHandle.standardError.write(
                Data("\r\u{1B}[Kfetching \(progress.phase) [\(bar)] \(progress.done)/\(progress.total) queries".utf8))
        }
    }

    func finish() {
        lock.withLock { if phase != nil { FileHandle.standardError.write(Data("\n".utf8)) } }
    }
}
