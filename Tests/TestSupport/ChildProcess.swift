import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a program to completion with `posix_spawn` and `waitpid`, output to files, shared by the
/// unit and integration test targets. Tests use it instead of Foundation's `Process`, whose
/// `waitUntilExit` can miss the exit of a child that leaves a daemon behind and never returns under
/// libfaketime (its run loop waits on a timer the moved clock never fires).
public enum ChildProcess {
    public struct Outcome: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
        /// Standard output as bytes (for binary output such as `unzip -p`).
        public let output: Data
    }

    /// Runs `program` with `arguments` and exactly `environment` (stdin is /dev/null), blocking.
    /// Every child also gets this process's libfaketime variables (``TestClock/fakeTimeEnvironment``).
    /// With `realClock`, the child runs on the real clock, like the servers written in Go.
    public static func runBlocking(
        _ program: String, _ arguments: [String], environment: [String: String], realClock: Bool = false
    ) throws -> Outcome {
        let child = try Spawned(program, arguments, environment: environment, realClock: realClock)
        return child.outcome(status: child.wait())
    }

    /// The same without blocking Swift's cooperative threads, so an in-process fake server can
    /// answer the child meanwhile.
    public static func run(_ program: String, _ arguments: [String], environment: [String: String]) async throws
        -> Outcome
    {
        let child = try Spawned(program, arguments, environment: environment)
        let status: Int32 = await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: child.wait()) }
        }
        return child.outcome(status: status)
    }

    /// Starts `program` and returns at once, for tests that interrupt it.
    public static func start(_ program: String, _ arguments: [String], environment: [String: String]) throws -> Running
    {
        Running(child: try Spawned(program, arguments, environment: environment))
    }

    /// A child that is still running.
    public struct Running: Sendable {
        fileprivate let child: Spawned
        public var pid: pid_t { child.pid }

        /// Sends `signal` (e.g. `SIGKILL`).
        public func kill(_ signal: Int32) { _ = Glibc.kill(child.pid, signal) }

        /// Waits for the exit and returns the outcome.
        public func wait() -> Outcome { child.outcome(status: child.wait()) }
    }

    /// A started child with its output files.
    fileprivate struct Spawned: Sendable {
        let pid: pid_t
        let folder: URL

        init(_ program: String, _ arguments: [String], environment: [String: String], realClock: Bool = false) throws {
            folder = TemporaryFolder("cb-child").url
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(
                &actions, 1, folder.appendingPathComponent("stdout").path,
                O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            posix_spawn_file_actions_addopen(
                &actions, 2, folder.appendingPathComponent("stderr").path,
                O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            let argv = ([program] + arguments).map { strdup($0) } + [nil]
            let envp =
                environment.merging(realClock ? [:] : TestClock.fakeTimeEnvironment) { mine, _ in mine }.map {
                    strdup("\($0.key)=\($0.value)")
                } + [nil]
            defer { for pointer in argv + envp { free(pointer) } }
            var pid: pid_t = 0
            let spawned = posix_spawn(&pid, program, &actions, nil, argv, envp)
            guard spawned == 0 else {
                try? FileManager.default.removeItem(at: folder)
                throw NSError(
                    domain: "ChildProcess", code: Int(spawned),
                    userInfo: [
                        NSLocalizedDescriptionKey: "cannot start \(program): \(String(cString: strerror(spawned)))"
                    ])
            }
            self.pid = pid
        }

        /// Waits for the exit; returns the exit code (128 + signal when killed).
        func wait() -> Int32 {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        }

        func outcome(status: Int32) -> Outcome {
            defer { try? FileManager.default.removeItem(at: folder) }
            let read = { (name: String) in
                (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)) ?? ""
            }
            let output = (try? Data(contentsOf: folder.appendingPathComponent("stdout"))) ?? Data()
            return Outcome(
                status: status, stdout: String(decoding: output, as: UTF8.self), stderr: read("stderr"), output: output)
        }
    }
}
