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

/// A progress line on stderr, redrawn in place; only on a terminal. The phases of the fetch that
/// run side by side (this period and the previous one) share a line, their queries added; a phase
/// that begins when those on the line are done starts a new line, leaving the last complete. The
/// total grows as the plan unfolds (raw reads are planned once the summaries are in), so the bar
/// shows the queries done of those known so far.
final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    /// The phases on the current line, in the order they began, with their latest counts.
    private var phases: [(name: String, done: Int, total: Int)] = []
    private static let width = 30

    static func make(enabled: Bool) -> ProgressLine? { enabled ? ProgressLine() : nil }

    @Sendable func update(_ progress: FetchProgress) {
        lock.withLock {
            if let index = phases.firstIndex(where: { $0.name == progress.phase }) {
                phases[index] = (progress.phase, progress.done, progress.total)
            } else {
                if !phases.isEmpty && phases.allSatisfy({ $0.done >= $0.total }) {
                    FileHandle.standardError.write(Data("\n".utf8))
                    phases = []
                }
                phases.append((progress.phase, progress.done, progress.total))
            }
            let (done, total) = phases.reduce((0, 0)) { ($0.0 + $1.done, $0.1 + $1.total) }
            let width = Self.width
            let filled = total == 0 ? width : width * min(done, total) / total
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            let others = phases.count - 1
            let names = phases[0].name + (others == 0 ? "" : " and \(others) more period\(others == 1 ? "" : "s")")
            FileHandle.standardError.write(
                Data("\r\u{1B}[Kfetching \(names) [\(bar)] \(done)/\(total) queries".utf8))
        }
    }

    func finish() {
        lock.withLock { if !phases.isEmpty { FileHandle.standardError.write(Data("\n".utf8)) } }
    }
}
