import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import Foundation
import NIOCore

/// Decodes API answers and turns what is wrong with them into ``FetchError``s.
///
/// Every text taken from the server (error messages, warnings, decoding details) is passed
/// through the credentials' redaction first.
package struct ResponseReader: Sendable {
    /// The base URL for messages (no credentials).
    let url: String
    let credentials: Credentials

    package init(url: String, credentials: Credentials) {
        self.url = url
        self.credentials = credentials
    }

    /// Decodes a JSON body.
    /// - Throws: ``FetchError/badResponse(url:detail:)`` for a body that is not JSON or has the wrong shape.
    func decode<T: Decodable>(_ type: T.Type, from body: ByteBuffer) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(body.readableBytesView))
        } catch let error as DecodingError {
            throw FetchError.badResponse(
                url: url,
                detail: Self.describe(
                    error, size: body.readableBytes,
                    start: excerpt(body, limit: 40)))
        } catch {
            throw FetchError.badResponse(url: url, detail: credentials.redact("\(error)"))
        }
    }

    /// Reads a query answer.
    /// - Throws: ``FetchError/badResponse(url:detail:)`` saying what is wrong with the body and where.
    package func parseQuery(_ body: ByteBuffer) throws -> QueryResponse {
        do {
            return try body.readableBytesView.withUnsafeBytes { try QueryResponse.parse($0) }
        } catch let failure as JSONScanner.Failure {
            throw self.failure(failure, start: Array(body.readableBytesView.prefix(4096)), size: body.readableBytes)
        }
    }

    /// Reads a series lookup's answer.
    /// - Throws: ``FetchError/badResponse(url:detail:)`` saying what is wrong with the body and where.
    func parseSeriesList(_ body: ByteBuffer) throws -> SeriesListResponse {
        do {
            return try body.readableBytesView.withUnsafeBytes { try SeriesListResponse.parse($0) }
        } catch let failure as JSONScanner.Failure {
            throw self.failure(failure, start: Array(body.readableBytesView.prefix(4096)), size: body.readableBytes)
        }
    }

    /// Reads the rest of a query answer read as it arrived (``ResultStream``).
    /// - Throws: ``FetchError/badResponse(url:detail:)`` as ``parseQuery(_:)`` would for the whole body.
    func finish(_ stream: inout ResultStream) throws -> QueryResponse {
        do {
            return try stream.finish()
        } catch let failure as JSONScanner.Failure {
            throw self.failure(failure, start: stream.head, size: stream.size)
        }
    }

    /// The ``FetchError/badResponse(url:detail:)`` of a body of `size` bytes beginning with `start`
    /// that could not be read.
    func failure(_ failure: JSONScanner.Failure, start: [UInt8], size: Int) -> FetchError {
        .badResponse(url: url, detail: credentials.redact(describe(failure, start: start, size: size)))
    }

    /// ``JSONScanner/Failure`` in words, in the same terms as ``describe(_:size:start:)``.
    private func describe(_ failure: JSONScanner.Failure, start bytes: [UInt8], size: Int) -> String {
        let start = excerpt(ByteBuffer(bytes: bytes), limit: 40)
        func at(_ path: String) -> String {
            path.isEmpty ? "unexpected JSON shape" : "unexpected JSON shape at \(path)"
        }
        switch failure {
        case .truncated, .malformed:
            guard start.hasPrefix("{") || start.hasPrefix("[") else {
                return "the body is not JSON (\(size) bytes, starting '\(start)')"
            }
            return "the JSON is truncated or malformed (\(size) bytes)"
        case .shape(let path, let expected): return "\(at(path)): expected \(expected)"
        case .missing(let path, let field): return "\(at(path)): missing field '\(field)'"
        case .invalid(let path, let detail): return "\(at(path)): \(detail)"
        }
    }

    /// Throws ``FetchError/api(url:errorType:message:query:)`` unless `status` is `success`.
    package func checkStatus(_ status: String, errorType: String?, error: String?, query: String) throws {
        guard status == "success" else {
            throw FetchError.api(
                url: url, errorType: credentials.redact(errorType ?? "unknown"),
                message: credentials.redact(error ?? "status \(status)"), query: query)
        }
    }

    /// Warnings with secrets removed.
    package func warnings(_ warnings: [String]?) -> [String] {
        (warnings ?? []).map(credentials.redact)
    }

    /// A short, single-line, redacted excerpt of a body for an error message.
    func snippet(_ body: ByteBuffer) -> String {
        excerpt(body, limit: 300)
    }

    /// The first `limit` characters of a body on one line, redacted before it is cut (so no
    /// secret survives in part).
    func excerpt(_ body: ByteBuffer, limit: Int) -> String {
        let bytes = body.readableBytesView.prefix(limit * 4 + credentials.longestSecret)
        let text = credentials.redact(String(decoding: bytes, as: UTF8.self))
        return String(
            text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
                .trimmingCharacters(in: .whitespaces).prefix(limit))
    }

    /// What is wrong with a body, in words: truncated, not JSON, or JSON of the wrong shape (with where).
    /// - Parameters:
    ///   - size: the body's length in bytes.
    ///   - start: its first characters, already redacted.
    static func describe(_ error: DecodingError, size: Int, start: String) -> String {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            guard start.hasPrefix("{") || start.hasPrefix("[") else {
                return "the body is not JSON (\(size) bytes, starting '\(start)')"
            }
            return "the JSON is truncated or malformed (\(size) bytes)"
        case .dataCorrupted(let context), .keyNotFound(_, let context), .typeMismatch(_, let context),
            .valueNotFound(_, let context):
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
                .joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
            let what: String
            switch error {
            case .keyNotFound(let key, _): what = "missing field '\(key.stringValue)'"
            case .typeMismatch(let type, _): what = "expected \(Self.name(of: type))"
            case .valueNotFound: what = "a required value is null"
            default: what = context.debugDescription
            }
            return path.isEmpty ? "unexpected JSON shape: \(what)" : "unexpected JSON shape at \(path): \(what)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func name(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Double.Type, is Int.Type, is Int64.Type: "a number"
        case is Bool.Type: "true or false"
        default:
            "\(type)".hasPrefix("Array") ? "an array" : "\(type)".hasPrefix("Dictionary") ? "an object" : "\(type)"
        }
    }
}
