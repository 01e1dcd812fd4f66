import ArgumentParser
import ChargebackCore

/// `chargeback`: monthly chargeback reports from the token counters of AI gateways in Prometheus.
@main
struct Chargeback: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chargeback",
        abstract: "Turn AI-gateway token counters in Prometheus into exact, auditable chargeback reports.",
        discussion: """
            Reads the token counters your gateways export (agentgateway's \
            agentgateway_gen_ai_client_token_usage_sum by default), counts tokens exactly from the \
            counters' samples (hourly summaries where they settle an hour exactly, the raw samples \
            elsewhere; no extrapolation), prices them with an effective-dated price book, allocates the \
            cost to teams to the cent, and writes Markdown, CSV, XLSX and FinOps FOCUS reports plus an \
            audit manifest. From the same price \
            book it also generates the live half: Prometheus recording rules, alerts and a Grafana dashboard.

            Examples:
              chargeback init ./chargeback-config
              chargeback validate --config chargeback.yaml
              chargeback report --config chargeback.yaml --period last-month \\
                  --output /srv/reports
              chargeback report --config chargeback.yaml --period 2026-10 \\
                  --timezone Europe/Berlin
              chargeback report --config chargeback.yaml --period last-month \\
                  --split-by team --mail
              chargeback mail --config chargeback.yaml --reports /srv/reports \\
                  --dry-run
              chargeback rules --config chargeback.yaml > prometheusrule.yaml
              chargeback dashboard --config chargeback.yaml > grafana-dashboard.json

            Exit codes: 0 success; 1 the run failed (Prometheus unreachable, bad response, write \
            failure); 64 usage or input-file error; 3 a threshold or budget was breached and \
            --fail-on-breach was given; 75 the report was written and some mail was not delivered \
            or may not have been (mail, report --mail).
            """,
        version: ChargebackVersion.string,
        subcommands: [
            ReportCommand.self, MailCommand.self, ValidateCommand.self, PricesCommand.self, InitCommand.self,
            RulesCommand.self,
            DashboardCommand.self, CollectCommand.self, StoreCommand.self, InvoicesCommand.self,
        ]
    )

    /// One malloc arena (``MallocArenas``), then the command line as usual.
    static func main() async {
        MallocArenas.configure()
        await main(nil)
    }
}
