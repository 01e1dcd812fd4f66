import ChargebackModel
import Foundation
import Mustache

/// Renders the report for people from a Mustache template (the default in `templates/`, or the
/// user's `--template`). Values from Prometheus and the input files are escaped for Markdown.
public struct MarkdownRenderer: Sendable {
    public let template: MustacheTemplate

    /// - Parameter templateText: Mustache source; `nil` uses the built-in default.
    /// - Throws: ``InputError`` when the template does not parse.
    public init(templateText: String? = nil, templateName: String = "report.md.mustache") throws {
        MarkdownRenderer.registerContentType
        do {
            template = try MustacheTemplate(string: templateText ?? DefaultTemplates.reportMd)
        } catch {
            throw InputError(file: templateName, "the Mustache template does not parse: \(error)")
        }
    }

    /// The Markdown text.
    /// - Parameters:
    ///   - reproduce: the command line that re-creates this report.
    ///   - team: the team of a per-team pack (`report` scoped to it), `nil` for the whole organisation.
    public func render(_ report: Report, reproduce: String, team: String? = nil) -> String {
        template.render(MarkdownContext.make(report, reproduce: reproduce, team: team))
    }

    /// Registers the `MARKDOWN` content type used by `{{% CONTENT_TYPE: MARKDOWN}}` once.
    private static let registerContentType: Void = {
        MustacheContentTypes.register(MarkdownEscaping(), named: "MARKDOWN")
    }()
}

/// Escapes text so it stays text inside Markdown and a table cell: `|` and Markdown punctuation
/// are backslash-escaped, newlines become spaces, and `<`, `>`, `&` become entities so no HTML runs.
public struct MarkdownEscaping: MustacheContentType {
    public init() {}

    public func escapeText(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "\\", "|", "*", "`", "[", "]", "#", "~": out += "\\\(character)"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\n", "\r", "\r\n": out += " "
            default: out.append(character)
            }
        }
        return out
    }
}
