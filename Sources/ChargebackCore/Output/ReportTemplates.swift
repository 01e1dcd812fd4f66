import ChargebackDeliver
import ChargebackRender

/// The parsed Mustache templates a `report` run renders with: the Markdown report's (for
/// `--format markdown` or `--split-by team`) and the team mail's (for `--split-by team`).
/// Parsed while the data is fetched; a template that does not parse still stops the run before
/// anything is written.
public struct ReportTemplates: Sendable {
    let markdown: MarkdownRenderer?
    let mail: TeamMail?

    /// - Throws: ``InputError`` for a template that does not parse.
    public init(_ request: ReportRequest) throws {
        markdown =
            try request.formats.contains(.markdown) || request.splitByTeam
            ? MarkdownRenderer(
                templateText: request.template?.text, templateName: request.template?.path ?? "report.md.mustache")
            : nil
        mail = request.splitByTeam ? try TeamMail() : nil
    }
}
