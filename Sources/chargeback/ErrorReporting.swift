import ArgumentParser
import ChargebackCore
import Foundation
import Logging

/// Ends a command with the exit code its error carries (docs/exit-codes.md), printing the
/// error's diagnostics on stderr.
enum ErrorReporting {
    /// Runs `body`; an ``ExitCodeError`` exits with its own code, anything else that fails exits 1,
    /// with one clear message.
    static func run(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as ExitCode {
            throw error
        } catch let error as any ExitCodeError {
            for diagnostic in error.diagnostics { printError(diagnostic.description) }
            throw ExitCode(error.exitCode)
        } catch let error as CancellationError {
            printError("interrupted (\(error)); no report was written")
            throw ExitCode(ExitStatus.failure)
        } catch {
            printError((error as? LocalizedError)?.errorDescription ?? "\(error)")
            throw ExitCode(ExitStatus.failure)
        }
    }

    static func printError(_ message: String) {
        let prefix = Terminal.stderrIsColorTerminal ? "\u{1B}[31merror:\u{1B}[0m " : "error: "
        let lines = message.split(separator: "\n", omittingEmptySubsequences: false)
        FileHandle.standardError.write(Data(lines.map { prefix + $0 }.joined(separator: "\n").utf8 + Data("\n".utf8)))
    }

    /// Prints diagnostics through the logger, so `--quiet`, `--verbose` and `--log-format` apply:
    /// errors and warnings by default, notes with `--verbose`.
    static func print(_ diagnostics: [Diagnostic], to logger: Logger) {
        for diagnostic in diagnostics {
            let level: Logger.Level =
                switch diagnostic.severity {
                case .error: .error
                case .warning: .warning
                case .note: .info
                }
            logger.log(level: level, "\(diagnostic.description)")
        }
    }
}

/// Facts about where our output goes.
enum Terminal {
    static var stderrIsTerminal: Bool { isatty(2) == 1 }
    static var stderrIsColorTerminal: Bool {
        stderrIsTerminal && ProcessInfo.processInfo.environment["TERM"].map { $0 != "dumb" } ?? false
            && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }
}
