import Foundation

/// A fresh folder under the system's temporary directory, created at once; ``remove()`` deletes it.
///
/// A test case holds one as a stored property (XCTest makes a new instance per test, so each
/// test gets its own folder) and removes it in `tearDown`.
public struct TemporaryFolder: Sendable {
    public let url: URL

    /// - Parameter prefix: the start of the folder's name, so a leftover says which test made it.
    ///   A folder that cannot be created makes the first write into it fail.
    public init(_ prefix: String) {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public var path: String { url.path }

    /// `url/name`.
    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Writes `text` to `name` inside the folder and returns its path.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        let target = file(name)
        try FileManager.default.createDirectory(
            at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: target, atomically: true, encoding: .utf8)
        return target.path
    }

    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
