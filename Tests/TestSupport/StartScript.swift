import Foundation

/// What the start scripts of local servers (`scripts/sample-prometheus.sh start`,
/// `scripts/sample-victoriametrics.sh start`) print on stdout: `KEY=VALUE` lines.
public enum StartScript {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The `KEY=VALUE` lines of `output`; other lines are ignored.
    public static func values(_ output: String) -> [String: String] {
        var values: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { values[parts[0]] = parts[1] }
        }
        return values
    }

    /// The server's URL and PID from `<prefix>_URL` and `<prefix>_PID` (`PROM`, `VM`).
    /// - Throws: ``Failure`` quoting the output when either is missing.
    public static func server(_ output: String, prefix: String) throws -> (url: String, pid: Int32) {
        let values = values(output)
        guard let url = values["\(prefix)_URL"], let pid = values["\(prefix)_PID"].flatMap(Int32.init) else {
            throw Failure(description: "no \(prefix)_URL and \(prefix)_PID in: \(output)")
        }
        return (url, pid)
    }
}
