import Foundation
import Logging

/// Bootstraps swift-log once for the process: stderr only, text or JSON lines.
enum LoggingSetup {
    nonisolated(unsafe) private static var done = false

    static func bootstrap(_ options: LoggingOptions) -> Logger {
        let level: Logger.Level = options.verbose ? .debug : (options.quiet ? .error : .warning)
        if !done {
            done = true
            let json = options.logFormat == .json
            LoggingSystem.bootstrap { label in
                var handler = StderrLogHandler(label: label, json: json)
                handler.logLevel = level
                return handler
            }
        }
        var logger = Logger(label: "chargeback")
        logger.logLevel = level
        return logger
    }
}

/// Writes one line per log event to stderr: `level: message key=value` or a JSON object.
struct StderrLogHandler: LogHandler {
    let label: String
    let json: Bool
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let level = event.level
        let message = event.message
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        let text: String
        if json {
            var object: [String: String] = [
                "time": ISO8601DateFormatter().string(from: Date()), "level": level.rawValue,
                "message": message.description,
            ]
            for (key, value) in all { object[key] = "\(value)" }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            text = String(decoding: data, as: UTF8.self)
        } else {
            let pairs = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            text = "\(level.rawValue): \(message)" + (pairs.isEmpty ? "" : " " + pairs)
        }
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
