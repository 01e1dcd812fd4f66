import Foundation

extension TeamDirectory {
    /// Reads a directory CSV (header `identity,team[,from,to]`; `from`/`to` dates in `zone` or RFC 3339
    /// instants, `[from, to)`), collecting every problem: malformed rows, unknown teams, duplicated
    /// rows and rows of one identity that overlap in time, each with its line and field.
    /// - Parameters:
    ///   - file: the path as the config named it, for messages.
    ///   - knownTeams: the teams of `teams.yaml`; a row naming another is a problem.
    /// - Returns: the directory of the well-formed rows, and the problems (empty when it is sound).
    public static func read(
        _ data: Data, file: String, label: String, zone: TimeZone, knownTeams: Set<String>
    ) -> (directory: TeamDirectory, problems: [InputError]) {
        var problems: [InputError] = []
        var entries: [String: [Assignment]] = [:]
        var columns: [String: Int] = [:]
        var dates: [String: Int64?] = [:]
        func instant(_ text: String) -> Int64? {
            if let known = dates[text] { return known }
            let parsed = DateText.parseDateOrInstant(text, in: zone).map {
                Int64($0.timeIntervalSince1970.rounded(.down))
            }
            dates[text] = parsed
            return parsed
        }
        var reader = CSVRecords(file: file)
        func record(_ line: Int, _ raw: [String]) {
            let fields = raw.map { $0.trimmingCharacters(in: .whitespaces) }
            if columns.isEmpty {
                let names = fields.map { $0.lowercased() }
                guard names == ["identity", "team"] || names == ["identity", "team", "from", "to"] else {
                    problems.append(
                        InputError(
                            file: file, line: line, "the header must be 'identity,team' or 'identity,team,from,to'"))
                    columns = ["identity": 0, "team": 1, "from": 2, "to": 3]
                    return
                }
                columns = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
                return
            }
            func problem(_ field: String, _ message: String) {
                problems.append(
                    InputError(file: file, line: line, column: (columns[field] ?? 0) + 1, "\(field): \(message)"))
            }
            guard fields.count == columns.count else {
                problems.append(
                    InputError(file: file, line: line, "expected \(columns.count) fields, found \(fields.count)"))
                return
            }
            let identity = fields[0]
            let team = fields[1]
            guard !identity.isEmpty else { return problem("identity", "empty") }
            guard !team.isEmpty else { return problem("team", "empty") }
            guard knownTeams.contains(team) else {
                return problem("team", "'\(team)' is not a team of teams.yaml")
            }
            var from: Int64?
            var to: Int64?
            if fields.count == 4 {
                if !fields[2].isEmpty {
                    guard let value = instant(fields[2]) else {
                        return problem("from", "'\(fields[2])' is not a date (YYYY-MM-DD) or an RFC 3339 time")
                    }
                    from = value
                }
                if !fields[3].isEmpty {
                    guard let value = instant(fields[3]) else {
                        return problem("to", "'\(fields[3])' is not a date (YYYY-MM-DD) or an RFC 3339 time")
                    }
                    to = value
                }
                if let from, let to, from >= to { return problem("to", "not after 'from'") }
            }
            let row = Assignment(team: team, from: from, to: to, line: line)
            for other in entries[identity] ?? [] {
                let overlaps = (other.from ?? .min) < (to ?? .max) && (from ?? .min) < (other.to ?? .max)
                guard overlaps else { continue }
                if other.from == from && other.to == to && other.team == team {
                    return problem("identity", "'\(identity)' duplicates line \(other.line)")
                }
                return problem("from", "'\(identity)' overlaps line \(other.line) in time")
            }
            entries[identity, default: []].append(row)
        }
        do {
            try data.withUnsafeBytes { raw in
                try reader.feed(raw.bindMemory(to: UInt8.self), record: record)
            }
            try reader.finish(record: record)
        } catch {
            problems.append(error as? InputError ?? InputError(file: file, "\(error)"))
        }
        if columns.isEmpty {
            problems.append(InputError(file: file, "the file is empty; expected the header 'identity,team[,from,to]'"))
        }
        return (TeamDirectory(file: file, label: label, entries: entries), problems)
    }
}
