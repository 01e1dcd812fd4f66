import ArgumentParser
import ChargebackCore
import Foundation

/// Maps errors to the exit codes the README lists and prints them on stderr.
enum ErrorReporting {
    /// Exit code for usage and input-file errors (ArgumentParser's validation code).
    static let inputError: Int32 = 64
    /// Exit code for a report that was written but breached a threshold, with `--fail-on-breach`.
    static let breach: Int32 = 3

    /// Runs `body`; input errors exit 64, everything else that fails exits 1, with one clear message.
    static func run(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as ExitCode {
            throw error
        } catch let error as InputError {
            printError(error.errorDescription ?? error.message)
            throw ExitCode(inputError)
        } catch let error as InputErrors {
            printError(error.errorDescription ?? "input errors")
            throw ExitCode(inputError)
        } catch let error as FetchError where error.isInputProblem {
            printError(error.errorDescription ?? "\(error)")
            throw ExitCode(inputError)
        } catch let error as CancellationError {
            printError("interrupted (\(error)); no report was written")
            throw ExitCode.failure
        } catch {
            printError((error as? LocalizedError)?.errorDescription ?? "\(error)")
            throw ExitCode.failure
        }
    }

    static func printError(_ message: String) {
        let prefix = Terminal.stderrIsColorTerminal ? "\u{1B}[31merror:\u{1B}[0m " : "error: "
        let lines = message.split(separator: "\n", omittingEmptySubsequences: false)
        FileHandle.standardError.write(Data(lines.map { prefix + $0 }.joined(separator: "\n").utf8 + Data("\n".utf8)))
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
