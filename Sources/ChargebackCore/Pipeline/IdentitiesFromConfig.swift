import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import Foundation

extension ReportPipeline {
    /// Who spent each team's cost, per identity of the directory's label, the values replaced by
    /// keyed pseudonyms with `identities.pseudonymize` (`nil` without a directory).
    /// - Throws: ``FetchError`` when the pseudonyms' key cannot be read; ``InputError`` for a
    ///   `--group-by` on the directory's label with pseudonyms (its files would show the raw values).
    static func identities(config: ChargebackConfig, allocation: Allocation) throws -> IdentityBreakdown? {
        guard let directory = config.teams.directory else { return nil }
        var pseudonym: ((String) -> String)?
        if config.identities.pseudonymize, let source = config.identities.key {
            if config.groupBy.contains(directory.label) {
                throw InputError(
                    file: nil,
                    "--group-by \(directory.label) would show the identities that identities.pseudonymize hides; "
                        + "leave it out (the identities CSV and sheet have every identity's pseudonym)")
            }
            let key = try Secrets.read(source, what: "the identities' pseudonym key")
            pseudonym = IdentityPseudonyms(key: Data(key.utf8)).pseudonym
        }
        return IdentityBreakdown(
            allocation: allocation, dimensions: config.dimensions, label: directory.label,
            pseudonymized: pseudonym != nil, pseudonym: pseudonym ?? { $0 })
    }
}
