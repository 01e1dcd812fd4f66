import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import Foundation
import Logging

/// What a report says of the period's edges: data that starts late or ends early.
extension UsageFetcher {
    /// Warnings for a period that starts before the backend's data and for hours no series covers.
    package static func edgeWarnings(_ coverage: Coverage, period: Period) -> [Diagnostic] {
        var warnings: [Diagnostic] = []
        if let start = coverage.dataStart, start > period.start {
            warnings.append(
                .warning(
                    "the period starts before the backend's data does: the oldest sample is at "
                        + "\(DateText.utc(start)), so the figures cover \(DateText.utc(start)) on only; keep the backend's "
                        + "retention longer than the longest period reported plus \(QueryPlan.edgeSeconds / Int(Hour.seconds)) h"
                ))
        }
        let blind = coverage.blindSpans
        if !blind.isEmpty {
            let hours = blind.reduce(0) { $0 + $1.hours }
            let list = blind.map { "\(DateText.utc($0.from)) to \(DateText.utc($0.to))" }.joined(separator: ", ")
            warnings.append(
                .warning(
                    "no series has a sample in \(hours) hour(s) of the period (\(list)): "
                        + "scrapes stopped or the backend was down; usage in them is not counted"))
        }
        return warnings
    }
}
