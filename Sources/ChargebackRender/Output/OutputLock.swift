import ChargebackModel
import Foundation

/// An exclusive lock on an output folder, so two overlapping runs (two cron jobs) never write
/// the same reports. It is an `flock(2)` on `.chargeback.lock` in the folder: the kernel drops it
/// when the process ends, so a killed run never leaves a stale lock.
public final class OutputLock {
    private let descriptor: Int32
    public let path: String

    public static let fileName = ".chargeback.lock"

    /// Takes the lock, creating the folder if needed.
    /// - Parameter wait: block until the other run finishes instead of failing.
    /// - Throws: ``OutputError`` naming the holder's PID when the folder is locked and `wait` is false.
    public init(directory: URL, wait: Bool) throws {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent(Self.fileName).path
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw OutputError(message: "cannot create the lock file \(path): \(String(cString: strerror(errno)))")
        }
        while flock(descriptor, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0 {
            if errno == EINTR { continue }
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(
                in: .whitespacesAndNewlines)
            close(descriptor)
            throw OutputError(
                message: "another chargeback run (pid \(holder ?? "unknown")) is writing reports into "
                    + "\(directory.path); wait for it, or pass --wait-lock to queue behind it")
        }
        ftruncate(descriptor, 0)
        let pid = "\(getpid())\n"
        _ = pid.withCString { write(descriptor, $0, strlen($0)) }
        Self.removeStaleStaging(in: directory)
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// Removes staging folders left by killed runs (safe: we hold the lock, so none is in use).
    private static func removeStaleStaging(in directory: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names where name.hasPrefix(StagedOutput.stagingPrefix) {
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
        }
    }
}
