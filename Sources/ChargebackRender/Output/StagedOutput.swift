import ChargebackModel
import Foundation

/// A failure writing reports. The command exits with 1 and previous reports stay as they were.
public struct OutputError: Error, LocalizedError, Equatable {
    public let message: String
    public var errorDescription: String? { message }

    package init(message: String) {
        self.message = message
    }
}

/// Writes report files beside their targets and moves them into place only on ``commit()``.
///
/// Files go into a hidden staging folder inside the output folder (same file system, so each
/// `rename(2)` is atomic). A run that fails or is killed before `commit` leaves the previous
/// reports untouched; ``discard()`` (or the next run) removes the staging folder.
public final class StagedOutput {
    public let directory: URL
    public let staging: URL
    private var names: [String] = []

    /// Prefix of staging folders, so leftovers of killed runs can be recognised and removed.
    package static let stagingPrefix = ".chargeback-staging-"

    /// Creates the output folder if needed and a fresh staging folder in it.
    public init(directory: URL) throws {
        self.directory = directory.standardizedFileURL
        let manager = FileManager.default
        do {
            try manager.createDirectory(at: self.directory, withIntermediateDirectories: true)
        } catch {
            throw OutputError(message: "cannot create the output folder \(directory.path): \(Self.reason(error))")
        }
        Self.removeAbandonedStaging(in: self.directory)
        staging = self.directory.appendingPathComponent(
            "\(Self.stagingPrefix)\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try manager.createDirectory(at: staging, withIntermediateDirectories: false)
        } catch {
            throw OutputError(message: "cannot write in the output folder \(directory.path): \(Self.reason(error))")
        }
    }

    /// The staging path for a file name (for writers that need a path, like the workbook).
    /// - Throws: ``OutputError`` when `name` would leave the output folder.
    public func path(for name: String) throws -> String {
        try Self.checkName(name)
        let url = staging.appendingPathComponent(name)
        if name.contains("/") {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        }
        if !names.contains(name) { names.append(name) }
        return url.path
    }

    /// Writes `data` to the staging copy of `name`.
    public func write(_ name: String, _ data: Data) throws {
        let path = try path(for: name)
        guard FileManager.default.createFile(atPath: path, contents: data) else {
            throw OutputError(message: "cannot write \(name) in \(staging.path)")
        }
    }

    /// Names written so far, in order.
    public var files: [String] { names }

    /// The bytes of a staged file (to hash it for the manifest).
    public func contents(of name: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: staging.appendingPathComponent(name).path) else {
            throw OutputError(message: "cannot read back the staged \(name)")
        }
        return data
    }

    /// Moves every staged file into place, each with one atomic rename, then removes the staging folder.
    /// - Returns: the final paths.
    @discardableResult
    public func commit() throws -> [URL] {
        var placed: [URL] = []
        for name in names {
            let target = directory.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            guard rename(staging.appendingPathComponent(name).path, target.path) == 0 else {
                throw OutputError(
                    message: "cannot move \(name) into \(directory.path): \(String(cString: strerror(errno)))")
            }
            placed.append(target)
        }
        discard()
        return placed
    }

    /// Removes the staging folder and everything in it.
    public func discard() {
        try? FileManager.default.removeItem(at: staging)
    }

    /// Removes staging folders left by runs that were killed: those whose process no longer exists.
    /// Folders of runs still in progress (another live process) are left alone.
    static func removeAbandonedStaging(in directory: URL) {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for entry in entries where entry.hasPrefix(stagingPrefix) {
            guard let pid = Int32(entry.dropFirst(stagingPrefix.count).split(separator: "-").first ?? ""),
                pid != getpid(), pid > 0, kill(pid, 0) == -1, errno == ESRCH
            else { continue }
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(entry))
        }
    }

    /// Rejects names that are absolute, empty, or climb out with `..`.
    package static func checkName(_ name: String) throws {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        guard !name.isEmpty, !name.hasPrefix("/"), !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." })
        else {
            throw OutputError(message: "refusing to write '\(name)': file names must stay inside the output folder")
        }
    }

    private static func reason(_ error: Error) -> String {
        (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
    }
}

extension OutputError: ExitCodeError {
    public var exitCode: Int32 { ExitStatus.failure }
}
