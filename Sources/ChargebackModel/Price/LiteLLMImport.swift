import Foundation

/// Converts LiteLLM's `model_prices_and_context_window.json` (USD per token) into our
/// `pricing.yaml` (USD per million tokens), since many teams already keep prices there.
public enum LiteLLMImport {
    /// - Parameters:
    ///   - data: the JSON file's bytes.
    ///   - from: the `from:` date to give every price.
    ///   - only: glob on model names to keep (e.g. `claude-*`); `nil` keeps every chat model.
    /// - Returns: the YAML text.
    /// - Throws: ``InputError`` naming the file when it is not LiteLLM's JSON.
    public static func yaml(from data: Data, file: String, from: String, only: Glob? = nil) throws -> String {
        guard let root = (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) as? [String: Any]
        else {
            throw InputError(file: file, "not a JSON object of models (LiteLLM's model_prices_and_context_window.json)")
        }
        var lines = [
            "# Converted from \(URL(fileURLWithPath: file).lastPathComponent) by chargeback prices import-litellm.",
            "# USD per million tokens, effective from \(from). Review before use: first match wins.",
            "currency: USD",
            "models:",
        ]
        var count = 0
        for name in root.keys.sorted() where name != "sample_spec" {
            guard let entry = root[name] as? [String: Any] else { continue }
            if let mode = entry["mode"] as? String, mode != "chat" { continue }
            if let only, !only.matches(name) { continue }
            let fields: [(String, String)] = [
                ("input", "input_cost_per_token"), ("output", "output_cost_per_token"),
                ("cache_read", "cache_read_input_token_cost"),
                ("cache_write", "cache_creation_input_token_cost"),
            ]
            var prices: [String] = []
            for (ours, theirs) in fields {
                guard let perToken = decimal(entry[theirs]) else { continue }
                prices.append("\(ours): \(perToken * 1_000_000)")
            }
            guard prices.contains(where: { $0.hasPrefix("input:") || $0.hasPrefix("output:") }) else { continue }
            lines.append("  - match: \(quoted(escapeGlob(name)))")
            lines.append("    prices:")
            lines.append("      - { from: \(from), \(prices.joined(separator: ", ")) }")
            count += 1
        }
        guard count > 0 else { throw InputError(file: file, "no chat model with input or output prices found") }
        lines.append("unpriced: error")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A JSON number as an exact decimal, read from its shortest text form (not through arithmetic).
    private static func decimal(_ value: Any?) -> Decimal? {
        guard let number = value as? NSNumber, !(value is Bool) else { return nil }
        let double = number.doubleValue
        guard double.isFinite, double >= 0 else { return nil }
        return Decimal(string: "\(double)", locale: Locale(identifier: "en_US_POSIX"))
    }

    private static func escapeGlob(_ name: String) -> String {
        name.map { "*?[]\\".contains($0) ? "[\($0)]" : String($0) }.joined()
    }

    private static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
