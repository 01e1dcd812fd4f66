import Crypto
import Foundation

/// Reads an invoice file, its format told by its content.
public enum InvoiceReader {
    /// Files past this size are refused rather than read into memory.
    static let maximumBytes = 256 * 1024 * 1024

    /// - Parameter file: the path as the user typed it (for messages).
    /// - Throws: ``InputError`` naming the file, and the line or record and field of the problem.
    public static func read(path: String, file: String? = nil) throws -> Invoice {
        let name = file ?? path
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw InputError(file: name, "cannot read the invoice: \(error.localizedDescription)")
        }
        return try parse(data, file: name)
    }

    /// Detects the format of `data` and parses it.
    public static func parse(_ data: Data, file: String) throws -> Invoice {
        guard data.count <= maximumBytes else { throw InputError(file: file, "the invoice is larger than 256 MiB") }
        guard var text = String(data: data, encoding: .utf8) else { throw InputError(file: file, "not UTF-8 text") }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let hash = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        let start = text.drop { $0.isWhitespace }
        if start.first == "{" || start.first == "[" {
            let root: Any
            do {
                root = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [])
            } catch {
                throw InputError(file: file, "not valid JSON: \(error.localizedDescription)")
            }
            guard let format = CostReportParsers.detect(root) else {
                throw InputError(
                    file: file,
                    "JSON that is neither an Anthropic cost report (data[].starting_at) "
                        + "nor OpenAI organization costs (data[].start_time)")
            }
            return Invoice(
                file: file, format: format, lines: try CostReportParsers.parse(root, format: format, file: file),
                sha256: hash)
        }
        guard FOCUSInvoiceParser.detect(start) else {
            throw InputError(
                file: file, line: 1,
                "not a FOCUS CSV (its header needs "
                    + FOCUSInvoiceParser.required.joined(separator: ", ") + "), nor a JSON cost report")
        }
        return Invoice(
            file: file, format: .focus, lines: try FOCUSInvoiceParser.parse(text, file: file),
            sha256: hash)
    }
}
