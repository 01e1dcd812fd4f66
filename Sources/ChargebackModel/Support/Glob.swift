#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A shell-style wildcard pattern (`*`, `?`, `[abc]`) matched against a whole label value.
public struct Glob: Hashable, Sendable, CustomStringConvertible {
    public let pattern: String
    public init(_ pattern: String) { self.pattern = pattern }

    /// Whether `text` matches the whole pattern.
    public func matches(_ text: String) -> Bool {
        if !pattern.contains(where: { "*?[\\".contains($0) }) { return pattern == text }
        return fnmatch(pattern, text, 0) == 0
    }

    public var description: String { pattern }
}
