import Foundation

/// Where a stretch of a report's hours came from.
public struct UsageSourceSpan: Sendable, Equatable {
    public enum Source: String, Sendable {
        case store, prometheus
    }

    public let source: Source
    public let from: Date
    public let to: Date
    public let hours: Int
    /// For stored hours: the earliest and latest time they were collected.
    public let collectedFrom: Date?
    public let collectedTo: Date?

    package init(source: Source, from: Date, to: Date, hours: Int, collectedFrom: Date?, collectedTo: Date?) {
        self.source = source
        self.from = from
        self.to = to
        self.hours = hours
        self.collectedFrom = collectedFrom
        self.collectedTo = collectedTo
    }
}
