import AsyncHTTPClient
import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import Foundation
import NIOCore
import NIOHTTP1

/// Short words for the transport errors a retry loop sees.
enum NetworkProblem {
    /// `connection refused`, `timed out`, `the server closed the connection`, a truncated answer,
    /// or the error's own text.
    /// - Parameter tls: the TLS settings of an `https` URL, to hint at a missing client certificate.
    static func describe(_ error: Error, tls: TLSSettings? = nil) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout: return "timed out"
            case .connectTimeout: return "connection timed out"
            case .remoteConnectionClosed where tls != nil && tls?.certFile == nil:
                // TLS 1.3 servers check the client certificate after the handshake and just hang up.
                return "the server closed the connection; if it requires a client certificate, "
                    + "set prometheus.tls.cert_file and key_file"
            case .remoteConnectionClosed: return "the server closed the connection"
            default: break
            }
        }
        if let error = error as? HTTPParserError, case .invalidEOFState = error {
            return "the answer was truncated: the server closed the connection before the whole body arrived"
        }
        if error is HTTPParserError {
            return "the server closed the connection or sent a malformed HTTP answer (\(error))"
        }
        if let error = error as? ChannelError, case .connectTimeout = error { return "connection timed out" }
        let text = "\(error)"
        if text.contains("refused") || text.contains("ECONNREFUSED") { return "connection refused" }
        return text
    }
}
