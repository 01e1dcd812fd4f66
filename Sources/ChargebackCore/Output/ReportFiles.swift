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

    /// Prepares the templates, so a template error stops the run before anything is written.
    /// - Throws: ``InputError`` for a template that does not parse.
    init(
        report: Report, teamViews: [(team: String, report: Report)], request: ReportRequest,
        diagnostics: DiagnosticCollector
    ) throws {
        self.report = report
        self.teamViews = teamViews
        self.request = request
        self.diagnostics = diagnostics
        markdown =
            try request.formats.contains(.markdown) || request.splitByTeam
            ? MarkdownRenderer(
                templateText: request.template?.text, templateName: request.template?.path ?? "report.md.mustache")
            : nil
        mail = request.splitByTeam ? try TeamMail() : nil
    }

    /// - Throws: ``XLSXError`` or ``OutputError`` when a file cannot be written.
    func write(into output: StagedOutput) throws {
        let base = "chargeback-\(report.period.label)"
        let reproduce = ReproduceLine.make(request.commandLine, report: report)
        // The raw pages of fetched bills, so the reconciliation can be re-run from them offline.
        for page in report.fetchedInvoices.flatMap(\.pages) { try output.write(page.file, page.data) }
        if let markdown, request.formats.contains(.markdown) {
            try output.write("\(base).md", Data(markdown.render(report, reproduce: reproduce).utf8))
        }
        if request.formats.contains(.csv) {
            try output.write("\(base)-usage.csv", Data(CSVReports.usage(report, hourly: request.hourly).utf8))
            try output.write("\(base)-chargeback.csv", Data(CSVReports.chargeback(report).utf8))
            try output.write("\(base)-teams.csv", Data(CSVReports.teams(report).utf8))
            try output.write("\(base)-thresholds.csv", Data(CSVReports.thresholds(report).utf8))
            if report.facts.hasPriceAdjustments {
                try output.write("\(base)-adjustments.csv", Data(CSVReports.adjustments(report).utf8))
            }
            if !report.invoiceReconciliation.invoices.isEmpty {
                try output.write("\(base)-reconciliation.csv", Data(CSVReports.reconciliation(report).utf8))
            }
            if let comparison = report.comparison {
                try output.write("\(base)-changes.csv", Data(CSVReports.changes(comparison).utf8))
            }
            if let forecast = report.forecast {
                try output.write(
                    "\(base)-forecast.csv",
                    Data(CSVReports.forecast(forecast, zone: report.period.timeZone).utf8))
            }
            for grouping in report.byLabels {
                try output.write("\(base)-by-\(grouping.label).csv", Data(CSVReports.byLabel(grouping).utf8))
            }
            if let identities = report.identities {
                try output.write(
                    "\(base)-identities.csv",
                    Data(CSVReports.identities(identities, currency: report.currency.code).utf8))
                try output.write(
                    "\(base)-unit-economics.csv",
                    Data(CSVReports.unitEconomics(report.unitEconomics, currency: report.currency.code).utf8))
            }
            if let attribution = report.attribution {
                try output.write(
                    "\(base)-attribution.csv",
                    Data(CSVReports.attribution(attribution, zone: report.period.timeZone).utf8))
            }
            if let trend = report.trend {
                try output.write("\(base)-trend.csv", Data(CSVReports.trend(trend).utf8))
            }
        }
        if request.formats.contains(.focus) {
            try output.write("\(base)-focus.csv", Data(FOCUSRenderer.render(report).utf8))
        }
        if request.formats.contains(.xlsx) {
            try WorkbookRenderer.write(
                report, to: output.path(for: "\(base).xlsx"),
                options: WorkbookOptions(hourly: request.hourly, reproduce: reproduce))
        }
        if request.splitByTeam, let markdown, let mail {
            try writeTeamPacks(into: output, base: base, markdown: markdown, mail: mail, reproduce: reproduce)
        }
        let outputs = try output.files.map { ($0, try output.contents(of: $0)) }
        try output.write(
            "manifest.json", ManifestRenderer.render(report, commandLine: request.commandLine, outputs: outputs))
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
