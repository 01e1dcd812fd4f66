import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import Foundation

/// `application/x-www-form-urlencoded` encoding of the API's form parameters.
enum FormEncoding {
    private static let unreserved = CharacterSet(
        charactersIn:
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")

    /// `a=1&b=x%20y`, in the order given.
    static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
}
