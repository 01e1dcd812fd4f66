import ChargebackModel
import Foundation

extension ChargebackConfig {
    /// The names a team rule or `--group-by` uses for the four dimensions every key has.
    static let logicalLabels: Set<String> = ["gateway", "model", "token_type", "system"]

    /// The labels of a `--group-by` list (`route,user_id`): each a Prometheus label name, or one of
    /// `gateway`, `model`, `token_type`, `system`; in order, without repeats.
    /// - Throws: ``InputError`` (exit 64) naming a label that is not a label name, or an empty list.
    public static func groupLabels(_ text: String) throws -> [String] {
        var labels: [String] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let label = part.trimmingCharacters(in: .whitespaces)
            let ascii = Array(label.utf8)
            func letter(_ byte: UInt8) -> Bool { (65...90).contains(byte) || (97...122).contains(byte) || byte == 95 }
            guard let first = ascii.first, letter(first), ascii.allSatisfy({ letter($0) || (48...57).contains($0) }),
                !label.hasPrefix("__")
            else {
                throw InputError(
                    file: nil,
                    "--group-by '\(label)' is not a label name (letters, digits and _, "
                        + "not starting with a digit or __), e.g. --group-by route,user_id")
            }
            if !labels.contains(label) { labels.append(label) }
        }
        guard !labels.isEmpty else { throw InputError(file: nil, "--group-by needs at least one label") }
        return labels
    }
}
