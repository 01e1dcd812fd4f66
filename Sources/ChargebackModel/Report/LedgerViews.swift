import Foundation

/// The ledger summed per gateway, model, token type, day and `--group-by` label, once per report:
/// the files read these a dozen times between them, and summing the ledger of 50,000 per-user
/// series takes a tenth of a second each time.
struct LedgerViews: Sendable {
    let byGateway: [Group]
    let byModel: [Group]
    let byTokenType: [Group]
    let byDay: [DayFigure]
    let byLabels: [LabelGrouping]

    init(_ ledger: Ledger, buckets: Buckets, facts: ReportFacts) {
        var gateways: [String: Group] = [:]
        var models: [String: Group] = [:]
        var types: [String: Group] = [:]
        var days = buckets.days.map { DayFigure(day: $0) }
        for line in ledger.lines {
            let key = line.key
            func add(to group: inout Group) {
                group.add(
                    tokens: line.tokens, billable: line.billableTokens, type: key.tokenType, cost: line.cost,
                    exact: line.exactCost)
            }
            add(to: &gateways[key.gateway, default: Group(name: key.gateway)])
            add(to: &models[key.model, default: Group(name: key.model)])
            add(to: &types[key.tokenType, default: Group(name: key.tokenType)])
            if !days.isEmpty {
                let index = buckets.dayIndex(ofHour: line.hours.lowerBound)
                days[index].tokens += line.tokens
                days[index].billableTokens += line.billableTokens
                days[index].cost.accumulate(line.cost)
                days[index].exactCost.accumulate(line.exactCost)
            }
        }
        byGateway = gateways.values.sorted { $0.name < $1.name }
        byModel = models.values.sorted { $0.name < $1.name }
        byTokenType = types.values.sorted { $0.name < $1.name }
        byDay = days
        byLabels = LabelGrouping.all(facts.groupBy, ledger: ledger, dimensions: facts.dimensions)
    }
}
