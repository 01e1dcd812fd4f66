import ArgumentParser
import ChargebackCore
import Foundation

/// `chargeback init`: starter configuration files.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a commented starter chargeback.yaml, pricing.yaml and teams.yaml.",
        discussion: """
            The files describe a sample setup (three agentgateway data planes in kgateway-system) and \
            pass `chargeback validate` as written; edit the gateway names, prices and teams to yours.

            Examples:
              chargeback init
              chargeback init /etc/chargeback
            """
    )

    @Argument(help: ArgumentHelp("The folder to write into (created if missing).", valueName: "dir"))
    var directory: String = "."

    @Flag(help: "Replace existing files.")
    var force = false

    func run() async throws {
        try await ErrorReporting.run {
            let written = try StarterFiles.write(into: URL(fileURLWithPath: directory), overwrite: force)
            for url in written { print("wrote \(url.path)") }
            print("next: chargeback validate --config \(written[0].path) --online --prometheus-url URL")
            print(
                "      (URL: your Prometheus, e.g. http://127.0.0.1:9090; or set prometheus.url in the file and omit it)"
            )
        }
    }
}
