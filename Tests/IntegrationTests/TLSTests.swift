import ChargebackCore
import Foundation
import Logging
import TestSupport
import XCTest

/// `prometheus.tls` against a real Prometheus serving HTTPS and requiring a client certificate
/// (its `--web.config.file`), with a throwaway CA, server and client certificate made by openssl.
final class TLSTests: XCTestCase {
    private var folder: URL!
    private var server: ChildProcess.Running?
    private var url = ""

    override func setUpWithError() throws {
        for tool in ["prometheus", "openssl"] where SampleWorld.which(tool) == nil {
            throw XCTSkip("\(tool) is not installed (scripts/install-deps.sh installs it)")
        }
        folder = TemporaryFolder("cb-tls").url
        try makeCertificates()
        try write(
            "web.yml",
            """
            tls_server_config:
              cert_file: \(path("server.pem"))
              key_file: \(path("server-key.pem"))
              client_auth_type: RequireAndVerifyClientCert
              client_ca_file: \(path("ca.pem"))
            """)
        try write("prometheus.yml", "global:\n  scrape_interval: 1m\n")
        let port = try ClosedPort.find()
        url = "https://127.0.0.1:\(port)"
        server = try ChildProcess.start(
            try XCTUnwrap(SampleWorld.which("prometheus")),
            [
                "--config.file=\(path("prometheus.yml"))", "--storage.tsdb.path=\(path("data"))",
                "--web.listen-address=127.0.0.1:\(port)", "--web.config.file=\(path("web.yml"))",
            ], environment: ["PATH": "/usr/bin:/bin"])
    }

    override func tearDown() {
        server?.kill(SIGKILL)
        _ = server?.wait()
        try? FileManager.default.removeItem(at: folder)
    }

    func testClientCertificateAndCAGetAnAnswerAndEachMissingPieceIsNamed() async throws {
        let full = TLSSettings(caFile: path("ca.pem"), certFile: path("client.pem"), keyFile: path("client-key.pem"))
        let answer = try await waitForAnswer(full)
        XCTAssertEqual(answer, 1, "vector(1) over HTTPS with a client certificate")

        // No client certificate: the server refuses the handshake.
        let noClientCert = await failure(TLSSettings(caFile: path("ca.pem")))
        XCTAssertTrue(noClientCert.contains(url) && noClientCert.contains("client certificate"), noClientCert)
        // No CA: the server's certificate is not trusted.
        let noCA = await failure(TLSSettings(certFile: path("client.pem"), keyFile: path("client-key.pem")))
        XCTAssertTrue(noCA.lowercased().contains("certificate"), noCA)
        // The explicit insecure switch skips verifying the server (the client certificate is still needed).
        let insecure = try await value(
            TLSSettings(
                certFile: path("client.pem"), keyFile: path("client-key.pem"),
                insecureSkipVerify: true))
        XCTAssertEqual(insecure, 1)
        // A key file that is not a key is bad input, named before any connection.
        try write("not-a-key.pem", "hello")
        let badKey = await failure(
            TLSSettings(
                caFile: path("ca.pem"), certFile: path("client.pem"),
                keyFile: path("not-a-key.pem")))
        XCTAssertTrue(badKey.contains("prometheus.tls"), badKey)
        XCTAssertFalse(try String(contentsOfFile: path("client-key.pem"), encoding: .utf8).isEmpty)
    }

    // MARK: - Helpers

    private func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    private func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path(name)))
    }

    /// A CA, a server certificate for 127.0.0.1 and a client certificate, both signed by the CA,
    /// valid from the real now for 2 days past the tests' clock (chargeback checks the server's on
    /// the tests' clock, Prometheus the client's on the real one; they differ under libfaketime).
    private func makeCertificates() throws {
        let openssl = try XCTUnwrap(SampleWorld.which("openssl"))
        let days = String(2 + Int((max(TestClock.offset, 0) / 86400).rounded(.up)))
        func run(_ arguments: [String]) throws {
            let outcome = try ChildProcess.runBlocking(
                openssl, arguments, environment: ["PATH": "/usr/bin:/bin"],
                realClock: true)
            guard outcome.status == 0 else { throw XCTSkip("openssl \(arguments.first ?? ""): \(outcome.stderr)") }
        }
        try run([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", days, "-subj", "/CN=chargeback test CA",
            "-keyout", path("ca-key.pem"), "-out", path("ca.pem"),
        ])
        try write("server.ext", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
        try write("client.ext", "extendedKeyUsage=clientAuth\n")
        for (name, subject) in [("server", "/CN=127.0.0.1"), ("client", "/CN=chargeback")] {
            try run([
                "req", "-newkey", "rsa:2048", "-nodes", "-subj", subject, "-keyout", path("\(name)-key.pem"),
                "-out", path("\(name).csr"),
            ])
            try run([
                "x509", "-req", "-in", path("\(name).csr"), "-CA", path("ca.pem"), "-CAkey", path("ca-key.pem"),
                "-CAcreateserial", "-days", days, "-extfile", path("\(name).ext"), "-out", path("\(name).pem"),
            ])
        }
    }

    private func settings(_ tls: TLSSettings) throws -> PrometheusSettings {
        PrometheusSettings(url: try PrometheusURLRules.parse(url), tls: tls, timeout: 5, retries: 0)
    }

    /// `vector(1)` through a client with these TLS settings.
    private func value(_ tls: TLSSettings) async throws -> Double? {
        try await PrometheusClient.using(settings: try settings(tls), logger: Logger(label: "test")) { client in
            try await client.query("vector(1)", at: Date()).series.first?.samples.first?.1
        }
    }

    /// The first answer once the server is up (it takes a moment to start).
    private func waitForAnswer(_ tls: TLSSettings) async throws -> Double? {
        let deadline = Date().addingTimeInterval(60)
        while true {
            do {
                return try await value(tls)
            } catch {
                if Date() > deadline { throw error }
                try await Task.sleep(nanoseconds: 200_000_000)
            }
        }
    }

    /// The message of the error these settings end in.
    private func failure(_ tls: TLSSettings) async -> String {
        do {
            let answer = try await value(tls)
            return "no error (answer \(String(describing: answer)))"
        } catch {
            return (error as? LocalizedError)?.errorDescription ?? "\(error)"
        }
    }
}
