import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation
import Mustache

/// The ready-to-send message of a per-team pack, built by ``MailMessage``: To the team's owner,
/// Cc and Bcc from `teams.yaml`, From and Reply-To from the config's `mail:` block (without it,
/// no From, which `sendmail -t` adds), the subject and text from a Mustache template
/// (`templates/team-mail.txt.mustache`, whose first line is `Subject: …`), and the team's
/// workbook and Markdown attached.
///
/// The Message-ID is the mail's identity: the period, the team and a hash of the team's figures
/// (its chargeback and teams rows), so the same figures give the same Message-ID, whatever the
/// output folder, run time or template, and a receiver can tell a copy sent twice.
public struct TeamMail: Sendable {
    public let template: MustacheTemplate

    /// - Parameter templateText: Mustache source; `nil` uses the built-in default.
    /// - Throws: ``InputError`` when the template does not parse.
    public init(templateText: String? = nil) throws {
        do {
            template = try MustacheTemplate(string: templateText ?? DefaultTemplates.teamMailTxt)
        } catch {
            throw InputError(file: "team-mail.txt.mustache", "the Mustache template does not parse: \(error)")
        }
    }

    /// The message for one team, or `nil` when the team has no owner address.
    /// - Parameters:
    ///   - report: the report scoped to the team (``TeamViews/view(of:team:)``).
    ///   - folder: the pack's safe name (``TeamPackNames``), part of the Message-ID.
    ///   - attachments: the workbook first (its name goes into the text), then the Markdown.
    public func message(_ report: Report, team: String, folder: String, attachments: [MailMessage.Attachment]) -> Data?
    {
        guard let status = report.budgets.first(where: { $0.group.name == team }),
            let owner = status.team.flatMap({ try? Mailbox.parse($0.owner).get() })
        else { return nil }
        let text = template.render(context(report, status: status, attachment: attachments.first?.name ?? ""))
        var lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(
            separator: "\n", omittingEmptySubsequences: false
        )
        .map(String.init)
        var subject = "AI gateway chargeback \(report.period.label) for \(team)"
        if let first = lines.first, first.hasPrefix("Subject:") {
            subject = first.dropFirst("Subject:".count).trimmingCharacters(in: .whitespaces)
            lines.removeFirst()
        }
        while lines.first?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeFirst() }
        let body = lines.joined(separator: "\n")
        let domain = report.facts.mailFrom?.domain ?? owner.domain
        let messageID =
            "<chargeback.\(TeamPackNames.safe(report.period.label)).\(folder)."
            + "\(Self.figuresDigest(report, team: team).prefix(16))@\(domain)>"
        var message = MailMessage(
            from: report.facts.mailFrom, replyTo: report.facts.mailReplyTo, to: [owner], cc: status.team?.cc ?? [],
            bcc: status.team?.bcc ?? [], subject: subject, date: report.generatedAt,
            messageID: messageID, text: body, attachments: attachments)
        message.extraHeaders = [("Auto-Submitted", "auto-generated"), ("X-Mailer", "chargeback \(report.toolVersion)")]
        return message.rendered()
    }

    /// SHA-256 of what identifies the mail: the period, the team and its figures.
    static func figuresDigest(_ report: Report, team: String) -> String {
        let identity = [report.period.label, team, CSVReports.chargeback(report), CSVReports.teams(report)]
        return ManifestRenderer.sha256(Data(identity.joined(separator: "\n\u{0}").utf8))
    }

    private func context(_ report: Report, status: BudgetStatus, attachment: String) -> [String: Any] {
        let zone = report.period.timeZone
        let breaches = report.breachSentences
        return [
            "team": status.group.name, "costCenter": status.team?.costCenter ?? "", "owner": status.team?.owner ?? "",
            "period": report.period.label, "periodStart": DateText.rfc3339(report.period.start, in: zone),
            "periodEnd": DateText.rfc3339(report.period.end, in: zone), "timeZone": zone.reportName,
            "dataEnd": DateText.rfc3339(min(report.period.end, report.generatedAt), in: zone),
            "partial": report.partial,
            "cost": report.currency.format(report.allocation.roundedTotal),
            "tokens": Formatting.count(status.group.billableTokens),
            "hasBudget": status.budget != nil, "budget": status.budget.map(report.currency.format) ?? "",
            "used": status.usedPercent.map { Formatting.percent(Money.double($0) / 100, decimals: 1) } ?? "",
            "status": status.status.rawValue, "breaches": breaches, "hasBreaches": !breaches.isEmpty,
            "attachment": attachment, "toolVersion": report.toolVersion,
            // A reply reaches someone only when a mail: block gives the From (and any Reply-To).
            "canReply": report.facts.mailFrom != nil,
        ]
    }
}
