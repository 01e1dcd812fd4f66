import ChargebackConfig
import ChargebackModel
import Foundation
import NIOSSL

/// Turns the `prometheus.tls` settings into a NIOSSL client configuration.
public enum TLSFiles {
    /// - Parameter key: the settings' place in the config, for messages (`mail.smtp` for SMTP).
    /// - Throws: ``InputError`` when a CA, certificate or key file cannot be loaded.
    public static func configuration(_ tls: TLSSettings, key: String = "prometheus.tls") throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        do {
            if let ca = tls.caFile {
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(ca))
            }
            if let cert = tls.certFile, let key = tls.keyFile {
                configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(cert).map { .certificate($0) }
                configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
            }
        } catch {
            throw InputError(file: nil, "\(key): cannot load the CA, certificate or key file (\(type(of: error)))")
        }
        if tls.insecureSkipVerify { configuration.certificateVerification = .none }
        return configuration
    }
}
