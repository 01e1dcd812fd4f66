import ChargebackConfig
import ChargebackDeliver
import ChargebackMeasure
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation

/// Renders every file a `report` run asked for into a ``StagedOutput``, then the manifest that
/// hashes them; the caller commits or discards.
///
/// Files: `chargeback-<period>.md`, the three CSVs, `-focus.csv`, `.xlsx`, and with
/// `--split-by team` a folder `teams/<team>/` per team with its workbook, Markdown and `.eml`.
struct ReportFiles {
    let report: Report
    /// The report scoped to each team, for `--split-by team` (empty otherwise).
    let teamViews: [(team: String, report: Report)]
    let request: ReportRequest
    /// Where a file that could not be made (a team without a mail address) is said.
    let diagnostics: DiagnosticCollector
    private let markdown: MarkdownRenderer?
    private let mail: TeamMail?

    /// - Parameter templates: parsed before (``ReportTemplates``), so no template error is met here.
    init(
        report: Report, teamViews: [(team: String, report: Report)], request: ReportRequest,
        diagnostics: DiagnosticCollector, templates: ReportTemplates
    ) {
        self.report = report
        self.teamViews = teamViews
        self.request = request
        self.diagnostics = diagnostics
        (markdown, mail) = (templates.markdown, templates.mail)
    }

    /// - Throws: ``XLSXError`` or ``OutputError`` when a file cannot be written.
    func write(into output: StagedOutput) throws {
        let base = "chargeback-\(report.period.label)"
        let reproduce = ReproduceLine.make(request.commandLine, report: report)
        let hashed = try ParallelFiles.write(
            files(base: base, reproduce: reproduce), into: output,
            longestFirst: ["\(base).xlsx", "\(base)-focus.csv"])
        if request.splitByTeam, let markdown, let mail {
            try writeTeamPacks(into: output, base: base, markdown: markdown, mail: mail, reproduce: reproduce)
        }
        // The team packs' files are hashed here, the others as they were written.
        let outputs = try output.files.map {
            try hashed[$0]
                ?? ManifestRenderer.Output(file: $0, path: output.staging.appendingPathComponent($0).path)
        }
        try output.write(
            "manifest.json", ManifestRenderer.render(report, commandLine: request.commandLine, outputs: outputs))
    }

    /// The report's own files, in the order the manifest lists them.
    private func files(base: String, reproduce: String) -> [ParallelFiles.File] {
        let report = self.report
        var files: [ParallelFiles.File] = []
        func add(_ name: String, _ text: @escaping @Sendable () -> String) {
            files.append(.written(name) { try Self.write([text()], to: $0, name: name) })
        }
        // The raw pages of fetched bills, so the reconciliation can be re-run from them offline.
        for page in report.fetchedInvoices.flatMap(\.pages) { files.append(.data(page.file) { page.data }) }
        if let markdown, request.formats.contains(.markdown) {
            add("\(base).md") { markdown.render(report, reproduce: reproduce) }
        }
        if request.formats.contains(.csv) {
            let hourly = request.hourly
            add("\(base)-usage.csv") { CSVReports.usage(report, hourly: hourly) }
            add("\(base)-chargeback.csv") { CSVReports.chargeback(report) }
            add("\(base)-teams.csv") { CSVReports.teams(report) }
            add("\(base)-thresholds.csv") { CSVReports.thresholds(report) }
            if report.facts.hasPriceAdjustments {
                add("\(base)-adjustments.csv") { CSVReports.adjustments(report) }
            }
            if !report.invoiceReconciliation.invoices.isEmpty {
                add("\(base)-reconciliation.csv") { CSVReports.reconciliation(report) }
            }
            if let comparison = report.comparison {
                add("\(base)-changes.csv") { CSVReports.changes(comparison) }
            }
            if let forecast = report.forecast {
                add("\(base)-forecast.csv") { CSVReports.forecast(forecast, zone: report.period.timeZone) }
            }
            for grouping in report.byLabels {
                add("\(base)-by-\(grouping.label).csv") { CSVReports.byLabel(grouping) }
            }
            if let identities = report.identities {
                add("\(base)-identities.csv") { CSVReports.identities(identities, currency: report.currency.code) }
                add("\(base)-unit-economics.csv") {
                    CSVReports.unitEconomics(report.unitEconomics, currency: report.currency.code)
                }
            }
            if let attribution = report.attribution {
                add("\(base)-attribution.csv") { CSVReports.attribution(attribution, zone: report.period.timeZone) }
            }
            if let trend = report.trend {
                add("\(base)-trend.csv") { CSVReports.trend(trend) }
            }
        }
        if request.formats.contains(.focus) {
            let name = "\(base)-focus.csv"
            files.append(.written(name) { try Self.write(FOCUSRenderer.table(report).pieces, to: $0, name: name) })
        }
        if request.formats.contains(.xlsx) {
            let options = WorkbookOptions(hourly: request.hourly, reproduce: reproduce)
            files.append(.written("\(base).xlsx") { try WorkbookRenderer.write(report, to: $0, options: options) })
        }
        return files
    }

    /// Writes the UTF-8 bytes of `pieces` one after another as they are stored, without a second copy.
    private static func write(_ pieces: [String], to path: String, name: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw OutputError(message: "cannot write \(name) in \((path as NSString).deletingLastPathComponent)") }
        do {
            for var piece in pieces {
                try piece.withUTF8 { bytes in
                    guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
                    try handle.write(
                        contentsOf: Data(
                            bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: bytes.count,
                            deallocator: .none))
                }
            }
            try handle.close()
        } catch {
            throw OutputError(message: "cannot write \(name): \(error.localizedDescription)")
        }
    }

    static let xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    /// `teams/<team>/chargeback-<period>-<team>.xlsx`, `.md` and `.eml` (with both attached) for every team.
    private func writeTeamPacks(
        into output: StagedOutput, base: String, markdown: MarkdownRenderer, mail: TeamMail,
        reproduce: String
    ) throws {
        let teams = teamViews.map(\.team)
        for ((team, scoped), folder) in zip(teamViews, TeamPackNames.names(for: teams)) {
            let stem = "teams/\(folder)/\(base)-\(folder)"
            try WorkbookRenderer.write(
                scoped, to: output.path(for: "\(stem).xlsx"),
                options: WorkbookOptions(hourly: request.hourly, reproduce: reproduce, team: team))
            try output.write("\(stem).md", Data(markdown.render(scoped, reproduce: reproduce, team: team).utf8))
            let attachments = [
                MailMessage.Attachment(
                    name: "\(base)-\(folder).xlsx", contentType: Self.xlsxType,
                    data: try output.contents(of: "\(stem).xlsx")),
                MailMessage.Attachment(
                    name: "\(base)-\(folder).md", contentType: "text/markdown; charset=utf-8",
                    data: try output.contents(of: "\(stem).md")),
            ]
            if let message = mail.message(scoped, team: team, folder: folder, attachments: attachments) {
                try output.write("\(stem).eml", message)
            } else {
                diagnostics.emit(
                    .warning(
                        "no mail for the team pack of \(team): the team has no owner address",
                        at: .file(report.facts.teamsFile)))
            }
        }
    }
}
