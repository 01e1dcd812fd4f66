import Foundation
import Mustache

/// The ready-to-send message of a per-team pack: RFC 5322 with MIME, To: the team's owner, the
/// subject and text from a Mustache template (`templates/team-mail.txt.mustache`, whose first
/// line is `Subject: …`), and the team's workbook attached as base64.
///
/// Pipe it to `sendmail -t`, which takes the recipient from `To:` and adds `From:` (the sending
/// user) and `Message-ID:`. Lines end in CRLF; the MIME boundary is derived from the attachment,
/// so it cannot occur inside the message.
public struct TeamMail {
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

    /// The message for one team, or `nil` when the team has no owner address that can be mailed.
    /// - Parameters:
    ///   - report: the report scoped to the team (``Report/scoped(toTeam:)``).
    ///   - attachment: the workbook's file name and bytes.
    public func message(_ report: Report, team: String, attachment: (name: String, data: Data)) -> Data? {
        guard let status = report.budgets.first(where: { $0.group.name == team }),
              let owner = status.team?.owner, MIMEText.isAddress(owner) else { return nil }
        let text = template.render(context(report, status: status, attachment: attachment.name))
        var lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
        var subject = "AI gateway chargeback \(report.period.label) for \(team)"
        if let first = lines.first, first.hasPrefix("Subject:") {
            subject = first.dropFirst("Subject:".count).trimmingCharacters(in: .whitespaces)
            lines.removeFirst()
        }
        while lines.first?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeFirst() }
        let body = lines.joined(separator: "\n")
        let boundary = "=_chargeback_" + ManifestRenderer.sha256(attachment.data).prefix(32)
        let name = attachment.name.filter { $0.isASCII && $0 != "\"" && $0 != "\\" && !$0.isNewline }
        var message = [
            "Date: \(MIMEText.date(report.generatedAt))",
            "To: \(owner)",
            "Subject: \(MIMEText.header(subject))",
            "MIME-Version: 1.0",
            "Auto-Submitted: auto-generated",
            "X-Mailer: chargeback \(MIMEText.header(report.toolVersion))",
            "Content-Type: multipart/mixed; boundary=\"\(boundary)\"",
            "",
            "This is a MIME message with the workbook attached.",
            "",
            "--\(boundary)",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            MIMEText.quotedPrintable(body),
            "",
            "--\(boundary)",
            "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet; name=\"\(name)\"",
            "Content-Transfer-Encoding: base64",
            "Content-Disposition: attachment; filename=\"\(name)\"",
            "",
            MIMEText.base64(attachment.data),
            "--\(boundary)--",
        ].joined(separator: "\r\n")
        message += "\r\n"
        return Data(message.utf8)
    }

    private func context(_ report: Report, status: BudgetStatus, attachment: String) -> [String: Any] {
        let zone = report.period.timeZone
        let breaches = report.breachSentences
        return [
            "team": status.group.name, "costCenter": status.team?.costCenter ?? "", "owner": status.team?.owner ?? "",
            "period": report.period.label, "periodStart": DateText.rfc3339(report.period.start, in: zone),
            "periodEnd": DateText.rfc3339(report.period.end, in: zone), "timeZone": zone.reportName,
            "dataEnd": DateText.rfc3339(min(report.period.end, report.generatedAt), in: zone), "partial": report.partial,
            "cost": Formatting.usd(report.allocation.totalCents), "tokens": Formatting.count(status.group.tokens),
            "hasBudget": status.budget != nil, "budget": status.budget.map(Formatting.usd) ?? "",
            "used": status.usedPercent.map { Formatting.percent(Money.double($0) / 100, decimals: 1) } ?? "",
            "status": status.status.rawValue, "breaches": breaches, "hasBreaches": !breaches.isEmpty,
            "attachment": attachment, "toolVersion": report.toolVersion,
        ]
    }
}
