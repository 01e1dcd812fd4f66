import Foundation
import TestSupport
import XCTest

/// A PostgreSQL server of the tests' own (Debian's `postgresql` binaries), in a temporary folder
/// on a free 127.0.0.1 port, with trust authentication for the user `chargeback`.
///
/// postgres refuses to run as root: as root, the folder is handed to the `postgres` user and
/// `initdb` and `postgres` run as that user through `setpriv`, which execs them, so the PID held
/// is the server's own. ``stop()`` ends it by that PID and removes the folder. One server serves
/// the whole run (``shared()``); each test takes a database of its own (``createDatabase(_:)``).
final class PostgresServer: @unchecked Sendable {
    let port: Int
    let folder: TemporaryFolder
    /// The CA that signed the server's certificate (for 127.0.0.1).
    let caFile: String
    private let server: ChildProcess.Running
    private let binaries: String
    private let runAs: [String]

    private static let lock = NSLock()
    nonisolated(unsafe) private static var started: Result<PostgresServer, any Error>?

    /// The run's server, started on first use and stopped when the test process exits.
    /// - Throws: `XCTSkip` when the PostgreSQL binaries are absent (scripts/install-deps.sh installs them).
    static func shared() throws -> PostgresServer {
        try lock.withLock {
            if started == nil {
                started = Result { try PostgresServer() }
                atexit { PostgresServer.stopShared() }
            }
            return try started!.get()
        }
    }

    private static func stopShared() {
        if case .success(let server)? = started { server.stop() }
    }

    private init() throws {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        guard
            let version = versions.sorted(by: { (Int($0) ?? 0) < (Int($1) ?? 0) }).last(where: {
                FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/\($0)/bin/postgres")
            })
        else {
            throw XCTSkip(
                "PostgreSQL is not installed (/usr/lib/postgresql/*/bin/postgres); scripts/install-deps.sh installs it")
        }
        let binaries = "/usr/lib/postgresql/\(version)/bin"
        let folder = TemporaryFolder("cb-postgres")
        let runAs: [String]
        if getuid() == 0 {
            guard let user = getpwnam("postgres") else {
                throw XCTSkip("running as root and there is no postgres user to run the server as")
            }
            runAs = [
                "/usr/bin/setpriv", "--reuid=\(user.pointee.pw_uid)", "--regid=\(user.pointee.pw_gid)",
                "--init-groups", "--",
            ]
            chown(folder.path, user.pointee.pw_uid, user.pointee.pw_gid)
        } else {
            runAs = []
        }
        let data = folder.file("data").path
        func run(_ tool: String, _ arguments: [String]) throws -> ChildProcess.Outcome {
            try Self.run(tool, arguments, binaries: binaries, runAs: runAs)
        }
        try Self.check(
            run(
                "initdb",
                [
                    "-D", data, "-A", "trust", "-U", "chargeback", "-E", "UTF8", "--locale=C", "--no-sync",
                    "--no-instructions",
                ]
            ), "initdb")
        // The role `chargeback_pw` logs in over TCP with a password only (the tests of password_file
        // and password_env); every other role is trusted.
        // The role `chargeback_tls` only over TLS (a server certificate for 127.0.0.1 from a CA of
        // the run's own, ``caFile``).
        let hba = folder.file("data/pg_hba.conf")
        let rules = try String(contentsOf: hba, encoding: .utf8)
        let access = [
            "host all chargeback_pw 127.0.0.1/32 scram-sha-256",
            "hostssl all chargeback_tls 127.0.0.1/32 trust",
            "hostnossl all chargeback_tls 127.0.0.1/32 reject",
        ]
        try (access.joined(separator: "\n") + "\n" + rules).write(to: hba, atomically: false, encoding: .utf8)
        let certificates = try TestSecrets(in: folder.file("tls"))
        if getuid() == 0, let user = getpwnam("postgres") {
            for file in [certificates.serverCert, certificates.serverKey] {
                chown(file.path, user.pointee.pw_uid, user.pointee.pw_gid)
            }
        }
        chmod(certificates.serverKey.path, 0o600)
        let port = try ClosedPort.find()
        let program = runAs.first ?? "\(binaries)/postgres"
        let arguments =
            Array(runAs.dropFirst()) + (runAs.isEmpty ? [] : ["\(binaries)/postgres"]) + [
                "-D", data, "-k", folder.path, "-h", "127.0.0.1", "-p", "\(port)",
                "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                "-c", "ssl=on", "-c", "ssl_cert_file=\(certificates.serverCert.path)",
                "-c", "ssl_key_file=\(certificates.serverKey.path)",
            ]
        let server = try ChildProcess.start(program, arguments, environment: ["LANG": "C"])
        (self.binaries, self.folder, self.runAs, self.port, self.server) = (binaries, folder, runAs, port, server)
        caFile = certificates.caFile.path
        let deadline = Date().addingTimeInterval(30)
        while true {
            let ready = try run(
                "pg_isready", ["-h", "127.0.0.1", "-p", "\(port)", "-U", "chargeback", "-d", "postgres"])
            if ready.status == 0 { break }
            if Date() > deadline {
                stop()
                throw NSError(
                    domain: "PostgresServer", code: 1,
                    userInfo: [NSLocalizedDescriptionKey: "postgres on port \(port) did not accept connections in 30 s"]
                )
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
        try Self.check(
            run(
                "psql",
                [
                    "-h", folder.path, "-p", "\(port)", "-U", "chargeback", "-d", "postgres", "-v", "ON_ERROR_STOP=1",
                    "-c", "CREATE ROLE chargeback_pw LOGIN CREATEDB PASSWORD '\(Self.password)'",
                    "-c", "CREATE ROLE chargeback_tls LOGIN",
                ]), "psql CREATE ROLE")
    }

    /// The password of the role `chargeback_pw`.
    static let password = "pg-\(UUID().uuidString)"

    /// Makes an empty database owned by `chargeback_pw` and returns its URL (the password is
    /// ``password``, never in the URL).
    func createPasswordDatabase(_ name: String) throws -> String {
        try createDatabase(name, owner: "chargeback_pw")
    }

    /// Makes an empty database owned by `owner` and returns its URL for that role.
    func createDatabase(_ name: String, owner: String) throws -> String {
        try Self.check(
            run("createdb", ["-h", "127.0.0.1", "-p", "\(port)", "-U", "chargeback", "-O", owner, name]),
            "createdb \(name)")
        return "postgres://\(owner)@127.0.0.1:\(port)/\(name)"
    }

    /// Makes an empty database and returns its URL (no password: trust authentication).
    func createDatabase(_ name: String) throws -> String {
        try Self.check(
            run("createdb", ["-h", "127.0.0.1", "-p", "\(port)", "-U", "chargeback", name]), "createdb \(name)")
        return "postgres://chargeback@127.0.0.1:\(port)/\(name)"
    }

    /// Runs the SQL `script` in the database `name` with psql, stopping at the first error.
    func execute(_ script: String, in name: String) throws {
        let file = folder.file("script-\(UUID().uuidString).sql")
        try script.write(to: file, atomically: true, encoding: .utf8)
        chmod(file.path, 0o644)
        defer { try? FileManager.default.removeItem(at: file) }
        try Self.check(
            run(
                "psql",
                [
                    "-h", "127.0.0.1", "-p", "\(port)", "-U", "chargeback", "-d", name, "-v", "ON_ERROR_STOP=1", "-q",
                    "-f", file.path,
                ]), "psql -f")
    }

    /// A fresh database name for one test.
    static func databaseName(_ prefix: String) -> String {
        "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// Stops the server by its PID (a fast shutdown) and removes its folder.
    func stop() {
        server.kill(SIGINT)
        _ = server.wait()
        folder.remove()
    }

    private func run(_ tool: String, _ arguments: [String]) throws -> ChildProcess.Outcome {
        try Self.run(tool, arguments, binaries: binaries, runAs: runAs)
    }

    /// Runs one of the PostgreSQL tools, as the server's user.
    private static func run(_ tool: String, _ arguments: [String], binaries: String, runAs: [String]) throws
        -> ChildProcess.Outcome
    {
        let path = "\(binaries)/\(tool)"
        return try ChildProcess.runBlocking(
            runAs.first ?? path, Array(runAs.dropFirst()) + (runAs.isEmpty ? [] : [path]) + arguments,
            environment: ["LANG": "C", "PATH": "/usr/bin:/bin"])
    }

    private static func check(_ outcome: ChildProcess.Outcome, _ what: String) throws {
        guard outcome.status == 0 else {
            throw NSError(
                domain: "PostgresServer", code: Int(outcome.status),
                userInfo: [NSLocalizedDescriptionKey: "\(what) failed: \(outcome.stderr)\(outcome.stdout)"])
        }
    }
}
