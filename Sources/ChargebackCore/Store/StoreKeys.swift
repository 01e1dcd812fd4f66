import ChargebackConfig
import ChargebackDeliver
import ChargebackMeasure
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation

/// Usage keys in a store's columns: the extra label values as a JSON array of strings.
public enum StoreKeys {
    /// The label names a key is made of, as stored beside the keys: a store serves only a
    /// config that reads the same labels.
    public static func signature(_ dimensions: UsageDimensions) -> String {
        let labels = dimensions.labels
        let parts = [labels.gateway, labels.model, labels.modelFallback ?? "", labels.tokenType, labels.system]
        return "gateway=\(parts[0]) model=\(parts[1]) model_fallback=\(parts[2]) token_type=\(parts[3]) "
            + "system=\(parts[4]) extra=[\(dimensions.extraLabels.joined(separator: ","))]"
    }

    /// The extra label values of `key` as stored: a JSON array, `[]` without extras.
    public static func extrasText(_ key: UsageKey) -> String {
        guard !key.extras.isEmpty, let data = try? JSONSerialization.data(withJSONObject: key.extras),
            let text = String(data: data, encoding: .utf8)
        else { return "[]" }
        return text
    }

    /// The key stored in these columns.
    /// - Throws: ``StoreError/database`` when `extras` is not a JSON array of strings.
    public static func key(
        gateway: String, model: String, tokenType: String, system: String, extras: String, location: String
    ) throws -> UsageKey {
        guard let values = try? JSONSerialization.jsonObject(with: Data(extras.utf8)) as? [String] else {
            throw StoreError.database(location: location, "a stored key's extra labels are not a list: \(extras)")
        }
        return UsageKey(gateway: gateway, model: model, tokenType: tokenType, system: system, extras: values)
    }
}
