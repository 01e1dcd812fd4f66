/// The time spans a run must be read raw over: its hours that hold samples, merged.
enum RunSpans {
    /// `[from, to)` in ms for the hours of `run` inside the grid that have samples, stopping
    /// before `before` (where a shared window takes over).
    static func spans(of run: RunPlanner.Run, in series: SeriesHours, grid: SummaryGrid,
                      before: Int64?) -> [(Int64, Int64)] {
        let last = min(run.lastHour, grid.hourCount - 1)
        guard run.firstHour <= last else { return [] }
        let hours = (run.firstHour...last).filter { series.count[$0] != 0 }
            .filter { before == nil || grid.hourStartMillis($0) < before! }
        return merge(hours.map { (grid.hourStartMillis($0), grid.hourEndMillis($0)) })
    }

    /// Joins spans that touch or overlap.
    static func merge(_ spans: [(Int64, Int64)]) -> [(Int64, Int64)] {
        var merged: [(Int64, Int64)] = []
        for span in spans.sorted(by: { $0.0 < $1.0 }) {
            if let lastSpan = merged.last, span.0 <= lastSpan.1 {
                merged[merged.count - 1].1 = max(lastSpan.1, span.1)
            } else {
                merged.append(span)
            }
        }
        return merged
    }
}
