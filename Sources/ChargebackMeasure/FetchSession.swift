import ChargebackModel
import Foundation

extension UsageFetcher {
    /// The queries done and planned by every read of one fetch, told to the progress display in
    /// order: reads that run side by side count into one tally.
    final class ProgressTally: @unchecked Sendable {
        private let lock = NSLock()
        private var done = 0
        private var total = 0
        private let report: (@Sendable (Int, Int) -> Void)?

        init(report: (@Sendable (Int, Int) -> Void)?) { self.report = report }

        func plan(_ queries: Int) { lock.withLock { total += queries } }

        func finish() {
            lock.withLock {
                done += 1
                report?(done, total)
            }
        }
    }

    /// What the queries of one read brought back besides samples; its progress goes to the tally.
    struct Session: Sendable {
        let tally: ProgressTally
        var records: [QueryRecord] = []
        var warnings = Set<String>()
        var notes: [Diagnostic] = []
        /// In-period series-hours settled by summaries, and read raw.
        var settledHours = 0
        var rawHours = 0
        /// Labels a refused index lookup is split by (``SeriesLookup``).
        var splitLabels: [String] = []

        init(tally: ProgressTally, splitLabels: [String]) {
            self.tally = tally
            self.splitLabels = splitLabels
        }

        /// Counts `queries` more in the progress's total.
        func plan(_ queries: Int) { tally.plan(queries) }

        mutating func finish(_ record: QueryRecord, _ warnings: [String]) {
            records.append(record)
            self.warnings.formUnion(warnings)
            tally.finish()
        }

        /// A session for a read that runs beside this one: the same tally and split labels.
        func beside() -> Session { Session(tally: tally, splitLabels: splitLabels) }

        /// Takes in what a read beside this one brought back, its records after this one's.
        mutating func absorb(_ other: Session) {
            records += other.records
            warnings.formUnion(other.warnings)
            notes += other.notes
            settledHours += other.settledHours
            rawHours += other.rawHours
        }
    }
}
