import Foundation

/// An input file that went into a run, for the manifest.
public struct InputFileRecord: Sendable, Equatable {
    public let role: String
    public let path: String
    public let contents: Data

    public init(role: String, path: String, contents: Data) {
        self.role = role
        self.path = path
        self.contents = contents
    }
}
