import Foundation

/// A token counter series' last sample at or before a stored hour's end: what a later collect
/// continues from when the backend no longer holds the samples before that moment.
public struct SeriesState: Sendable, Equatable {
    public let identity: String
    /// The sample's time (ms) and value, in whole tokens.
    public let millis: Int64
    public let value: Int64

    public init(identity: String, millis: Int64, value: Int64) {
        self.identity = identity
        self.millis = millis
        self.value = value
    }
}
