import Foundation
import TestSupport
import XCTest

/// The command synopses of the README and docs/commands.md against `--help`: every flag a
/// command's help lists is in its synopsis, and the synopsis names no flag the command lacks, so
/// help and docs cannot drift apart.
final class SynopsisTests: XCTestCase {
    static let commands = [
        "report", "collect", "store status", "mail", "validate", "prices", "prices import-litellm", "init", "rules",
        "dashboard", "invoices fetch",
    ]

    func testEveryFlagOfHelpIsInTheSynopsesAndNoOther() throws {
        let binary = SampleWorld.buildFolder.appendingPathComponent("chargeback").path
        var helpFlags: [String: Set<String>] = [:]
        for command in Self.commands {
            let run = try SampleWorld.execute(binary, command.split(separator: " ").map(String.init) + ["--help"])
            XCTAssertEqual(run.status, 0, "\(command): \(run.stderr)")
            helpFlags[command] = Self.optionFlags(run.stdout)
            XCTAssertTrue(helpFlags[command]?.contains("--help") == true, "\(command): \(run.stdout)")
        }
        for document in ["README.md", "docs/commands.md"] {
            let text = try String(contentsOf: PackagePaths.root.appendingPathComponent(document), encoding: .utf8)
            let synopsis = try XCTUnwrap(Self.synopsis(text), "\(document) has a synopsis block")
            for command in Self.commands {
                let flags = try XCTUnwrap(helpFlags[command])
                var written = Self.flags(in: synopsis.entries[command] ?? "")
                XCTAssertNotNil(synopsis.entries[command], "\(document): no synopsis of \(command)")
                for (scope, line) in synopsis.shared where scope == "every command" || flags.contains(scope) {
                    written.formUnion(Self.flags(in: line))
                }
                for flag in flags.subtracting(written).sorted() {
                    XCTFail("\(document): the synopsis of `chargeback \(command)` lacks \(flag), which --help lists")
                }
                for flag in written.subtracting(flags).sorted() {
                    XCTFail("\(document): the synopsis of `chargeback \(command)` names \(flag), which --help does not")
                }
            }
        }
    }

    /// The long flags of the OPTIONS section (`  -c, --config <file>`, `  --online`).
    static func optionFlags(_ help: String) -> Set<String> {
        let lines = help.split(separator: "\n").map(String.init)
        guard let start = lines.firstIndex(of: "OPTIONS:") else { return [] }
        return Set(
            lines[(start + 1)...].compactMap { line in
                line.firstMatch(of: /^  (?:-[a-zA-Z], )?(--[a-z0-9-]+)/).map { String($0.1) }
            })
    }

    static func flags(in text: String) -> Set<String> {
        Set(text.matches(of: /--[a-z0-9][a-z0-9-]*/).map { String($0.0) })
    }

    /// The first code block that starts with `chargeback report`: each command's lines (with their
    /// continuation lines), and the shared lines `(every command) …` and `(with --config) …` by scope.
    static func synopsis(_ document: String) -> (entries: [String: String], shared: [(String, String)])? {
        let blocks = document.components(separatedBy: "```\n")
        guard let block = blocks.first(where: { $0.hasPrefix("chargeback report") }) else { return nil }
        var entries: [String: String] = [:]
        var shared: [(String, String)] = []
        var current: String?
        for line in block.split(separator: "\n").map(String.init) {
            if let scope = line.firstMatch(of: /^\((.+?)\)/) {
                shared.append((String(scope.1), line))
                current = nil
            } else if line.hasPrefix("chargeback ") {
                let words = line.split(separator: " ").map(String.init)
                let twoWords = words.count > 2 ? "\(words[1]) \(words[2])" : ""
                current = commands.contains(twoWords) ? twoWords : words[1]
                entries[current!, default: ""] += line + "\n"
            } else if let current {
                entries[current, default: ""] += line + "\n"
            }
        }
        return (entries, shared.map { ($0.0 == "with --config" ? "--config" : $0.0, $0.1) })
    }
}
