import Foundation

/// Which lines of a whole-account FOCUS file are AI charges, and the model and token type of each
/// (docs/input-files.md, "Invoices"). A `SkuId` is never read as a model.
package enum CloudCharge {
    /// FOCUS's `ServiceCategory` of AI services (it also holds ML infrastructure: disks, VMs).
    static let aiCategory = "ai and machine learning"

    /// Fragments of `ServiceName` (lower case) of services that sell model tokens.
    static let aiServices = [
        "bedrock", "openai", "ai foundry", "foundry models", "vertex ai", "gemini api", "anthropic", "claude",
    ]

    /// Lower-case starts of model ids that may appear in a description or meter.
    static let modelStarts = [
        "claude-", "gpt-", "gemini-", "llama", "mistral", "mixtral", "command-", "titan-", "nova-", "deepseek",
        "o1-", "o3-", "o4-", "text-embedding-",
    ]

    /// The fields of a line that can tell its model and token type.
    package struct Fields {
        var service = ""
        var category = ""
        var resourceId = ""
        var skuPriceDetails = ""
        var chargeDescription = ""
        var skuMeter = ""
        var units = ""
        var xModel = ""
        var xTokenType = ""

        /// The description, meter and units, where a model id or token type may be written.
        var words: String { chargeDescription + " " + skuMeter + " " + units }
    }

    /// Readings of text that repeats across a file (services, descriptions), at most ``limit`` of each.
    struct Memo {
        static let limit = 4096
        private var services: [String: Bool] = [:]
        private var texts: [String: (model: String?, tokenType: String?, tokens: Bool)] = [:]

        /// Whether `service` is a model-serving service.
        mutating func isAIService(_ service: String) -> Bool {
            if let known = services[service] { return known }
            let lower = service.lowercased()
            let answer = CloudCharge.aiServices.contains(where: lower.contains)
            if services.count >= Self.limit { services.removeAll(keepingCapacity: true) }
            services[service] = answer
            return answer
        }

        /// The model, token type and whether tokens are named, in a description, meter and units.
        mutating func words(_ text: String) -> (model: String?, tokenType: String?, tokens: Bool) {
            if let known = texts[text] { return known }
            let answer = (
                CloudCharge.fromText(text), CloudCharge.tokenType(in: text), text.lowercased().contains("token")
            )
            if texts.count >= Self.limit { texts.removeAll(keepingCapacity: true) }
            texts[text] = answer
            return answer
        }
    }

    /// The model and token type a line names.
    package static func read(_ fields: Fields) -> (model: String?, tokenType: String?) {
        var memo = Memo()
        return read(fields, memo: &memo)
    }

    /// The model and token type a line names, reading repeated text once.
    static func read(_ fields: Fields, memo: inout Memo) -> (model: String?, tokenType: String?) {
        var model = fields.xModel.isEmpty ? nil : fields.xModel
        var tokenType = fields.xTokenType.isEmpty ? nil : fields.xTokenType
        if model == nil { model = fromResource(fields.resourceId) }
        if fields.skuPriceDetails.hasPrefix("{") {
            let details = priceDetails(fields.skuPriceDetails)
            model = model ?? details.model
            tokenType = tokenType ?? details.tokenType
        }
        let words = memo.words(fields.words)
        return (model ?? words.model, tokenType ?? words.tokenType)
    }

    /// Whether the service alone makes a line an AI charge, or its category with a model or tokens.
    static func isAI(_ fields: Fields, model: String?, tokenType: String?, memo: inout Memo) -> AISelection? {
        if memo.isAIService(fields.service) { return .service }
        if fields.category.lowercased() == aiCategory
            && (model != nil || tokenType != nil || memo.words(fields.words).tokens)
        {
            return .category
        }
        return nil
    }

    /// The model of a Bedrock ARN (`…:foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0` →
    /// `claude-sonnet-4-5-20250929`; also `inference-profile/us.anthropic.…`) or a Vertex AI
    /// resource (`…/publishers/google/models/gemini-2.0-flash@001` → `gemini-2.0-flash`).
    package static func fromResource(_ id: String) -> String? {
        // An application inference profile's id is opaque: it names no model.
        if id.contains("application-inference-profile/") { return nil }
        for marker in ["foundation-model/", "inference-profile/"] {
            if let range = id.range(of: marker, options: .backwards) {
                return bedrockModel(String(id[range.upperBound...]))
            }
        }
        if let range = id.range(of: "/models/", options: .backwards) {
            let name = id[range.upperBound...].prefix { $0 != "/" && $0 != "@" && $0 != ":" }
            return name.isEmpty ? nil : String(name)
        }
        return nil
    }

    /// `us.anthropic.claude-3-5-haiku-20241022-v1:0` → `claude-3-5-haiku-20241022`.
    static func bedrockModel(_ id: String) -> String? {
        var parts = id.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        // A geography prefix (`us.`, `eu.`, `apac.`, `global.`), then the vendor (`anthropic.`).
        while parts.count > 1, !parts[0].contains("-") || parts[0] == "us-gov" { parts.removeFirst() }
        var name = parts.joined(separator: ".")
        if let range = name.range(of: #"-v\d+(:\d+)?$"#, options: .regularExpression) {
            name.removeSubrange(range)
        } else if let range = name.range(of: #":\d+$"#, options: .regularExpression) {
            name.removeSubrange(range)
        }
        return name.isEmpty ? nil : name
    }

    /// A model id written in running text (`… for claude-sonnet-4-5 output tokens`), lower case.
    package static func fromText(_ text: String) -> String? {
        let lower = text.lowercased()
        for start in modelStarts {
            var searchFrom = lower.startIndex
            while let range = lower.range(of: start, range: searchFrom..<lower.endIndex) {
                searchFrom = range.upperBound
                if range.lowerBound > lower.startIndex {
                    let before = lower[lower.index(before: range.lowerBound)]
                    if before.isLetter || before.isNumber { continue }
                }
                let name = lower[range.lowerBound...].prefix { $0.isLetter || $0.isNumber || "-._:".contains($0) }
                let trimmed = name.trimmingCharacters(in: CharacterSet(charactersIn: ".:-"))
                if trimmed.count > start.count { return trimmed }
            }
        }
        return nil
    }

    /// The token type a text names: cache reads and writes before input and output.
    static func tokenType(in text: String) -> String? {
        let lower = text.lowercased().replacingOccurrences(of: "_", with: " ")
            .replacingOccurrences(of: "-", with: " ")
        if lower.contains("cache read") || lower.contains("cached input") { return "cache_read" }
        if lower.contains("cache write") || lower.contains("cache creation") { return "cache_write" }
        if lower.contains("output") || lower.contains(" outp ") { return "output" }
        if lower.contains("input") || lower.contains(" inp ") { return "input" }
        return nil
    }

    /// `SkuPriceDetails` (a JSON object): a key named like `model` or `x_ModelName`, and one named
    /// like `token_type`; anything else in it is ignored.
    package static func priceDetails(_ text: String) -> (model: String?, tokenType: String?) {
        guard text.utf8.count <= 64 * 1024,
            let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
        else { return (nil, nil) }
        var model: String?
        var tokenType: String?
        for (key, value) in object {
            guard let value = value as? String, !value.isEmpty else { continue }
            let name = key.lowercased().replacingOccurrences(of: "_", with: "")
            if ["model", "modelname", "modelid", "xmodel", "xmodelname", "xmodelid"].contains(name) { model = value }
            if ["tokentype", "xtokentype"].contains(name) { tokenType = Self.tokenType(in: value) ?? value }
        }
        return (model, tokenType)
    }
}
