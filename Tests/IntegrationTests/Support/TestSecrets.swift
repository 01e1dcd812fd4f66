import Foundation
import NIOSSL
import TestSupport
import XCTest

/// Throwaway secrets for the secrets sweep, made fresh in a folder for each test (test material
/// only; nothing here protects anything): a bearer token file, a basic-auth password file, and a
/// CA with a server certificate for 127.0.0.1 and a client certificate whose private key is the
/// third secret (generated with `openssl`).
struct TestSecrets {
    let token = "sweep-token-\(UUID().uuidString)"
    let username = "sweep-user"
    let password = "sweep-password-\(UUID().uuidString)"
    let tokenFile: URL
    let passwordFile: URL
    let caFile: URL
    let serverCert: URL
    let serverKey: URL
    let clientCert: URL
    let clientKey: URL

    init(in folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        tokenFile = folder.appendingPathComponent("token")
        passwordFile = folder.appendingPathComponent("password")
        caFile = folder.appendingPathComponent("ca.pem")
        serverCert = folder.appendingPathComponent("server.pem")
        serverKey = folder.appendingPathComponent("server-key.pem")
        clientCert = folder.appendingPathComponent("client.pem")
        clientKey = folder.appendingPathComponent("client-key.pem")
        try Data("\(token)\n".utf8).write(to: tokenFile)
        try Data("\(password)\n".utf8).write(to: passwordFile)
        guard let openssl = SampleWorld.which("openssl") else {
            throw XCTSkip("openssl is not installed (scripts/install-deps.sh installs it)")
        }
        let caKey = folder.appendingPathComponent("ca-key.pem").path
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try Self.run(
            openssl,
            ["req", "-x509"] + ec + [
                "-keyout", caKey, "-out", caFile.path, "-days", "2",
                "-subj", "/CN=chargeback sweep test CA",
            ])
        for (cert, key, name, usage) in [
            (serverCert, serverKey, "127.0.0.1", "serverAuth"),
            (clientCert, clientKey, "chargeback sweep client", "clientAuth"),
        ] {
            let request = folder.appendingPathComponent("\(usage).csr").path
            let extensions = folder.appendingPathComponent("\(usage).ext")
            try Data("subjectAltName=IP:127.0.0.1\nextendedKeyUsage=\(usage)\n".utf8).write(to: extensions)
            try Self.run(openssl, ["req"] + ec + ["-keyout", key.path, "-out", request, "-subj", "/CN=\(name)"])
            try Self.run(
                openssl,
                [
                    "x509", "-req", "-in", request, "-CA", caFile.path, "-CAkey", caKey, "-CAcreateserial",
                    "-out", cert.path, "-days", "2", "-extfile", extensions.path,
                ])
        }
    }

    /// Every string that must never appear in any output, with a name for messages: the token, the
    /// password, each in base64, the basic-auth header's base64 pair, and each line of the client
    /// key's PEM body; each also as JSON escapes it (`/` as `\/`).
    func needles() throws -> [(name: String, value: String)] {
        let keyLines = try String(contentsOf: clientKey, encoding: .utf8).split(separator: "\n")
            .filter { !$0.hasPrefix("-----") && $0.count >= 16 }.map(String.init)
        var needles: [(name: String, value: String)] =
            [
                ("bearer token", token), ("bearer token in base64", Data(token.utf8).base64EncodedString()),
                ("password", password), ("password in base64", Data(password.utf8).base64EncodedString()),
                ("basic-auth header pair", Data("\(username):\(password)".utf8).base64EncodedString()),
                ("SMTP AUTH PLAIN token", Data("\u{0}\(username)\u{0}\(password)".utf8).base64EncodedString()),
                ("client key header", "PRIVATE KEY-----"),
            ] + keyLines.enumerated().map { ("client key line \($0.offset + 1)", $0.element) }
        needles += needles.filter { $0.value.contains("/") }
            .map { ("\($0.name), JSON-escaped", $0.value.replacingOccurrences(of: "/", with: "\\/")) }
        return needles
    }

    /// A server context for 127.0.0.1 that demands a client certificate signed by the test CA.
    func serverTLS() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(serverCert.path).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: serverKey.path, format: .pem)))
        configuration.certificateVerification = .noHostnameVerification
        configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile.path))
        return try NIOSSLContext(configuration: configuration)
    }

    private static func run(_ program: String, _ arguments: [String]) throws {
        let outcome = try ChildProcess.runBlocking(program, arguments, environment: ["PATH": "/usr/bin:/bin"])
        guard outcome.status == 0 else {
            throw NSError(
                domain: "TestSecrets", code: Int(outcome.status),
                userInfo: [
                    NSLocalizedDescriptionKey: "openssl \(arguments.joined(separator: " ")) failed: \(outcome.stderr)"
                ])
        }
    }
}
