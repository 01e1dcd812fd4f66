import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import Foundation

extension ReportPipeline {
    /// Who spent each team's cost, per identity of the request log (`attribution:`) or else of the
    /// directory's label, the values replaced by keyed pseudonyms with `identities.pseudonymize`
    /// (`nil` with neither).
    /// - Throws: ``FetchError`` when the pseudonyms' key cannot be read; ``InputError`` for a
    ///   `--group-by` on the directory's label with pseudonyms (its files would show the raw values).
    static func identities(config: ChargebackConfig, allocation: Allocation) throws -> IdentityBreakdown? {
        guard let label = config.attribution?.label ?? config.teams.directory?.label else { return nil }
        var pseudonym: ((String) -> String)?
        if config.identities.pseudonymize, let source = config.identities.key {
            if config.groupBy.contains(label) {
                throw InputError(
                    file: nil,
                    "--group-by \(label) would show the identities that identities.pseudonymize hides; "
                        + "leave it out (the identities CSV and sheet have every identity's pseudonym)")
            }
            let key = try Secrets.read(source, what: "the identities' pseudonym key")
            let hash = IdentityPseudonyms(key: Data(key.utf8)).pseudonym
            // The request log's unexplained part is no one's identity: it keeps its name.
            let keep = config.attribution != nil ? Attribution.unattributed : nil
            pseudonym = { $0 == keep ? $0 : hash($0) }
        }
        return IdentityBreakdown(
            allocation: allocation, dimensions: config.costDimensions, label: label,
            pseudonymized: pseudonym != nil, pseudonym: pseudonym ?? { $0 })
    }
}
