import Foundation
import TestSupport
import XCTest

/// A real SMTP server for the mail tests: `Tests/SMTPServer/smtp_sink.py` on aiosmtpd, run by
/// the Python of `.build-venv/smtp/` (scripts/install-deps.sh makes it), on a free port of 127.0.0.1,
/// stopped by its PID. What it received is read back with Python's `email` package.
final class SMTPSink {
    /// One received message as Python's `email` package parsed it.
    struct Received: Decodable {
        struct Envelope: Decodable {
            let mailFrom: String
            let rcptTos: [String]
            let tls: Bool
            let login: String?
        }
        struct Attachment: Decodable {
            let filename: String
            let contentType: String
            let size: Int
            let sha256: String
        }
        let file: String
        let envelope: Envelope
        let headers: [String: String?]
        let text: String?
        let attachments: [Attachment]
        let maxLine: Int
        let bareLf: Bool
        let defects: [String]

        func header(_ name: String) -> String? { headers[name] ?? nil }
    }

    static let script = PackagePaths.root.appendingPathComponent("Tests/SMTPServer/smtp_sink.py").path
    static let python = PackagePaths.root.appendingPathComponent(".build-venv/smtp/bin/python").path

    let folder: URL
    let port: Int
    private let process: ChildProcess.Running
    private var stopped = false

    /// Starts the server with `options` (see the script: `--tls-cert`, `--auth`, `--data-replies`, …).
    /// - Throws: `XCTSkip` when the venv with aiosmtpd is missing.
    init(_ options: [String] = [], in parent: URL) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.python) else {
            throw XCTSkip(
                "no \(Self.python): run scripts/install-deps.sh (it installs aiosmtpd into .build-venv/smtp/)")
        }
        folder = parent.appendingPathComponent("smtp-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let portFile = folder.appendingPathComponent("port")
        process = try ChildProcess.start(
            Self.python,
            [
                Self.script, "serve", "--folder", folder.path, "--port-file", portFile.path,
                "--log", folder.appendingPathComponent("log").path,
            ] + options, environment: ["PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"])
        let deadline = Date().addingTimeInterval(20)
        var found: Int?
        while found == nil && Date() < deadline {
            found = (try? String(contentsOf: portFile, encoding: .utf8)).flatMap { Int($0) }
            if found == nil { usleep(50_000) }
        }
        guard let found else {
            process.kill(SIGKILL)
            let outcome = process.wait()
            throw NSError(
                domain: "SMTPSink", code: 1,
                userInfo: [
                    NSLocalizedDescriptionKey: "the SMTP test server did not start: \(outcome.stderr)"
                ])
        }
        port = found
    }

    deinit { stop() }

    var url: String { "smtp://127.0.0.1:\(port)" }

    /// What the server did, one line per event (`accepted 1 for …`, `rcpt … rejected 550`, `stalling`).
    var log: [String] {
        ((try? String(contentsOf: folder.appendingPathComponent("log"), encoding: .utf8)) ?? "")
            .split(separator: "\n").map(String.init)
    }

    /// Every message received so far, parsed back.
    func received() throws -> [Received] {
        let outcome = try ChildProcess.runBlocking(
            Self.python, [Self.script, "parse", folder.path],
            environment: ["PATH": "/usr/bin:/bin"])
        guard outcome.status == 0 else {
            throw NSError(domain: "SMTPSink", code: 2, userInfo: [NSLocalizedDescriptionKey: outcome.stderr])
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode([Received].self, from: Data(outcome.stdout.utf8))
    }

    /// The raw bytes of every stored message.
    func rawMessages() throws -> [Data] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".eml") }.sorted()
            .map { try Data(contentsOf: folder.appendingPathComponent($0)) }
    }

    func stop() {
        guard !stopped else { return }
        stopped = true
        process.kill(SIGKILL)
        _ = process.wait()
    }
}
