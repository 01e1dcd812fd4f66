import ChargebackConfig
import ChargebackDeliver
import ChargebackMeasure
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation

/// The four cost alerts (daily, weekly, monthly, hourly pace), on the total cost of all gateways
/// together, from the configured thresholds.
///
/// | alert | fires when | for | severity |
/// | --- | --- | --- | --- |
/// | `AgentGatewayDailyCostExceeded` | 24 h cost ≥ `daily_usd` | 5m | warning |
/// | `AgentGatewayWeeklyCostExceeded` | 7 d cost ≥ `weekly_usd` | 5m | warning |
/// | `AgentGatewayMonthlyCostExceeded` | 30 d cost ≥ `monthly_usd` | 5m | critical |
/// | `AgentGatewayHighCostRate` | last hour's cost × 24 > `hourly_projection_usd_per_day` | 15m | warning |
///
/// A threshold the config leaves out gives no alert. Each description lists every gateway's share.
enum CostAlerts {
    /// The alerts, each with the window whose rules it reads.
    static func rules(
        thresholds: Thresholds, gatewayLabel: String,
        reference: (String) -> String
    ) -> [(window: RuleWindow, rule: AlertRule)] {
        var rules: [(window: RuleWindow, rule: AlertRule)] = []
        let calendar: [(Decimal?, String, RuleWindow, String)] = [
            (thresholds.daily, "AgentGatewayDailyCostExceeded", .daily, "warning"),
            (thresholds.weekly, "AgentGatewayWeeklyCostExceeded", .weekly, "warning"),
            (thresholds.monthly, "AgentGatewayMonthlyCostExceeded", .monthly, "critical"),
        ]
        for case (let threshold?, let name, let window, let severity) in calendar {
            let limit = "$\(threshold)"
            rules.append(
                (
                    window,
                    AlertRule(
                        alert: name, expr: "\(reference(RuleNames.costTotal(window))) >= \(threshold)",
                        forDuration: "5m",
                        severity: severity,
                        summary: "AI gateway cost over the last \(window.phrase) is at or over \(limit)",
                        description:
                            "All gateways together spent ${{ printf \"%.2f\" $value }} in the last \(window.phrase) "
                            + "(threshold \(limit)).\n"
                            + breakdown(RuleNames.costByGateway(window), label: gatewayLabel))
                ))
        }
        if let threshold = thresholds.hourlyProjectionPerDay {
            let limit = "$\(threshold)"
            rules.append(
                (
                    .hourly,
                    AlertRule(
                        alert: "AgentGatewayHighCostRate",
                        expr: "\(reference(RuleNames.costTotal(.hourly))) * 24 > \(threshold)",
                        forDuration: "15m", severity: "warning",
                        summary: "AI gateway spend is on pace for more than \(limit) a day",
                        description:
                            "At the last hour's pace all gateways together would spend ${{ printf \"%.2f\" $value }} "
                            + "a day (threshold \(limit) a day).\n"
                            + breakdown("\(RuleNames.costByGateway(.hourly)) * 24", label: gatewayLabel))
                ))
        }
        return rules
    }

    /// A Prometheus template listing `query`'s value per gateway, largest first.
    private static func breakdown(_ query: String, label: String) -> String {
        "Per gateway:{{ range query \"sort_desc(\(query))\" }}\n"
            + "- {{ index .Labels \"\(label)\" }}: ${{ printf \"%.2f\" .Value }}{{ end }}"
    }
}
