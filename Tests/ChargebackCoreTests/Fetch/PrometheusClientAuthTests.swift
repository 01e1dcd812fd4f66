import Foundation
import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// What a multi-tenant, authenticated backend needs reaches it, and no secret comes back out.
final class PrometheusClientAuthTests: XCTestCase {
    private var server: FakePrometheus?
    private var folder: URL!

    override func setUpWithError() throws {
        folder = TemporaryFolder("cb-auth").url
    }

    override func tearDown() async throws {
        await server?.stop()
        try? FileManager.default.removeItem(at: folder)
    }

    private func serve(_ script: @escaping FakePrometheus.Script) async throws -> FakePrometheus {
        let started = try await FakePrometheus(script: script)
        server = started
        return started
    }

    private func secretFile(_ text: String) throws -> String {
        let path = folder.appendingPathComponent("secret-\(UUID().uuidString)").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func testPathPrefixTenantHeaderAndBearerTokenFileReachTheServer() async throws {
        let server = try await serve { _, _ in .json(FakeAnswers.empty) }
        let token = try secretFile("token-from-file-7f3a\n")
        let settings = try FakeClient.settings(server.url + "/prometheus") {
            $0.headers = ["X-Scope-OrgID": "tenant-a"]
            $0.auth = .bearer(.file(token))
        }
        _ = try await FakeClient.with(settings) { try await $0.query(FakeClient.rawQuery, at: FakeClient.rawTime) }
        let request = try XCTUnwrap(server.requests.first)
        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(request.path, "/prometheus/api/v1/query")
        XCTAssertEqual(request.header("X-Scope-OrgID"), "tenant-a")
        XCTAssertEqual(request.header("Authorization"), "Bearer token-from-file-7f3a")
        XCTAssertEqual(request.form["query"], FakeClient.rawQuery)
        XCTAssertEqual(request.form["time"], "1790812800.000")
    }

    func testBearerTokenFromTheEnvironmentReachesTheServer() async throws {
        let server = try await serve { _, _ in .json(FakeAnswers.empty) }
        let settings = try FakeClient.settings(server.url) { $0.auth = .bearer(.environment("CB_TEST_TOKEN")) }
        _ = try await FakeClient.with(settings, environment: ["CB_TEST_TOKEN": "token-from-env-91c2"]) {
            try await $0.query(FakeClient.rawQuery, at: FakeClient.rawTime)
        }
        XCTAssertEqual(server.requests.first?.header("Authorization"), "Bearer token-from-env-91c2")
    }

    func testBasicAuthWithAPasswordFileReachesTheServer() async throws {
        let server = try await serve { _, _ in .json(FakeAnswers.empty) }
        let password = try secretFile("pa55-word-e4d1")
        let settings = try FakeClient.settings(server.url + "/select/0/prometheus") {
            $0.auth = .basic(username: "chargeback", password: .file(password))
        }
        _ = try await FakeClient.with(settings) {
            try await $0.queryRange(
                "up", start: FakeClient.rawTime,
                end: FakeClient.rawTime, stepSeconds: 60)
        }
        let request = try XCTUnwrap(server.requests.first)
        XCTAssertEqual(request.path, "/select/0/prometheus/api/v1/query_range")
        XCTAssertEqual(
            request.header("Authorization"), "Basic " + Data("chargeback:pa55-word-e4d1".utf8).base64EncodedString())
    }

    func testMissingSecretsAreNamedButNeverShown() async throws {
        let settings = try FakeClient.settings("http://127.0.0.1:9") { $0.auth = .bearer(.environment("CB_UNSET")) }
        let error = await FakeClient.error { try await FakeClient.with(settings) { _ in () } }
        XCTAssertEqual(
            error as? FetchError, .secret("the environment variable CB_UNSET for the bearer token is not set"))
        let broken = try secretFile("line-one\nline-two")
        let multiline = try FakeClient.settings("http://127.0.0.1:9") { $0.auth = .bearer(.file(broken)) }
        let second = await FakeClient.error { try await FakeClient.with(multiline) { _ in () } }
        let message = (second as? LocalizedError)?.errorDescription ?? ""
        XCTAssertTrue(message.contains("contains a line break"), message)
        XCTAssertFalse(message.contains("line-one"), message)
    }

    /// A proxy that echoes the request's headers in its error bodies, messages and warnings must
    /// not make the secret show up in an error or a log line.
    func testSecretsEchoedByTheServerNeverReachErrorsOrLogs() async throws {
        let token = "very-secret-token-5b8e"
        let basicPassword = "very-secret-password-c01d"
        let scripts: [(String, FakePrometheus.Script)] = [
            (
                "401 echoing the header",
                { request, _ in
                    .json("unauthorized: \(request.header("Authorization") ?? "")", status: 401)
                }
            ),
            (
                "500 echoing the header, every attempt",
                { request, _ in
                    .json("boom for \(request.header("Authorization") ?? "")", status: 500)
                }
            ),
            (
                "status error echoing the header",
                { request, _ in
                    .json(
                        FakeAnswers.error(
                            type: "bad_data", message: "who is \(request.header("Authorization") ?? "")?"),
                        status: 400)
                }
            ),
            ("not JSON echoing the header", { request, _ in .json("<p>\(request.header("Authorization") ?? "")</p>") }),
        ]
        for auth in [
            PrometheusSettings.Auth.bearer(.environment("CB_TOKEN")),
            .basic(username: "svc", password: .environment("CB_PASSWORD")),
        ] {
            for (name, script) in scripts {
                let server = try await serve(script)
                let logs = CapturedLogs()
                let settings = try FakeClient.settings(server.url) { $0.auth = auth }
                let error = await FakeClient.error {
                    try await FakeClient.with(
                        settings, logs: logs, environment: ["CB_TOKEN": token, "CB_PASSWORD": basicPassword]
                    ) {
                        try await $0.query(FakeClient.rawQuery, at: FakeClient.rawTime)
                    }
                }
                await server.stop()
                let header = try XCTUnwrap(server.requests.first?.header("Authorization"), name)
                let credential = try XCTUnwrap(header.split(separator: " ").last.map(String.init))
                let message = "\(try XCTUnwrap(error, name)) \((error as? LocalizedError)?.errorDescription ?? "")"
                for secret in [token, basicPassword, credential] {
                    XCTAssertFalse(message.contains(secret), "\(name): the error shows a secret: \(message)")
                    XCTAssertFalse(logs.text.contains(secret), "\(name): the log shows a secret: \(logs.text)")
                }
                XCTAssertTrue(message.contains("<redacted>"), "\(name): \(message)")
            }
        }
    }
}
