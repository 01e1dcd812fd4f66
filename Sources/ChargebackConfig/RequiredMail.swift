import ChargebackModel
import Foundation

extension ChargebackConfig {
    /// The `mail:` block, for the commands that send mail.
    /// - Throws: ``InputError`` naming the config file when there is none.
    public func requiredMail(path: String) throws -> MailSettings {
        guard let mail else {
            throw InputError(
                file: path,
                "there is no mail: block; add one with from and smtp.url "
                    + "(see chargeback init) to send the team mails")
        }
        return mail
    }
}
