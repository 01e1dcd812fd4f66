import ChargebackModel
import Foundation

/// Reads `teams.yaml` into a ``TeamBook`` and checks that every rule names known teams.
package enum TeamBookParser {
    package static func parse(_ root: YAMLValue) throws -> TeamBook {
        try root.allowKeys(["teams", "rules", "unallocated"])
        var teams: [Team] = []
        for item in try root.required("teams").items() {
            try item.allowKeys(["name", "cost_center", "owner", "cc", "bcc", "monthly_budget_usd"])
            let nameNode = try item.required("name")
            let name = try nameNode.string()
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw nameNode.error("must not be empty") }
            // A team name reaches mail subjects and file names: no line may start inside it.
            guard !name.unicodeScalars.contains(where: Mailbox.isForbidden) else {
                throw nameNode.error("a team name must not contain a line break or control character")
            }
            guard name != TeamBook.unallocatedName else {
                throw nameNode.error("'\(name)' is reserved for usage no rule matches")
            }
            guard !teams.contains(where: { $0.name == name }) else {
                throw nameNode.error("team '\(name)' is listed twice")
            }
            var budget: Decimal?
            if let node = try item.optional("monthly_budget_usd") {
                budget = try node.decimal()
                guard budget! >= 0 else {
                    throw node.error("must be 0 (no allowance: every cost exceeds it) or a positive amount")
                }
            }
            let owner = try item.optional("owner")
            if let owner { _ = try MailSettingsParser.mailbox(owner) }
            teams.append(
                Team(
                    name: name, costCenter: try item.optional("cost_center")?.string() ?? "",
                    owner: try owner?.string().trimmingCharacters(in: .whitespaces) ?? "",
                    monthlyBudget: budget,
                    cc: try item.optional("cc").map(MailSettingsParser.mailboxes) ?? [],
                    bcc: try item.optional("bcc").map(MailSettingsParser.mailboxes) ?? []))
        }
        let names = Set(teams.map(\.name))
        func known(_ node: YAMLValue, _ team: String) throws {
            guard names.contains(team) else {
                throw node.error("unknown team '\(team)'; teams are: \(teams.map(\.name).joined(separator: ", "))")
            }
        }
        var rules: [TeamRule] = []
        var firstProportional: YAMLValue?
        for item in try root.optional("rules")?.items() ?? [] {
            try item.allowKeys(["match", "team", "split", "shared"])
            let matchNode = try item.required("match")
            var match: [String: Glob] = [:]
            for (key, value) in try matchNode.entries() {
                guard PromQLText.isLabelName(key) else { throw value.error("'\(key)' is not a label name") }
                match[key] = Glob(try value.string())
            }
            let actions = try ["team", "split", "shared"].compactMap { try item.optional($0) }
            guard actions.count == 1 else { throw item.error("a rule needs exactly one of team, split or shared") }
            let action: RuleAction
            if let node = try item.optional("team") {
                let team = try node.string()
                try known(node, team)
                action = .team(team)
            } else if let node = try item.optional("split") {
                var parts: [(team: String, percent: Decimal)] = []
                for (team, value) in try node.entries() {
                    try known(value, team)
                    let percent = try value.decimal()
                    guard percent > 0 else { throw value.error("a split share must be positive") }
                    parts.append((team, percent))
                }
                let sum = parts.reduce(Decimal(0)) { $0 + $1.percent }
                guard sum == 100 else { throw node.error("split percentages sum to \(sum), not 100") }
                action = .split(parts)
            } else {
                let shared = try item.required("shared")
                action = .shared(try parseShared(shared, known: known))
                if case .shared(.proportional) = action, firstProportional == nil { firstProportional = shared }
            }
            let line = item.node.mark.map { ":\($0.line)" } ?? ""
            rules.append(TeamRule(match: match, action: action, origin: "\(fileName(item.file))\(line)"))
        }
        if let proportional = firstProportional, !rules.contains(where: \.givesDirectCost) {
            throw proportional.error(
                "'proportional' spreads a pool by the teams' direct cost, but no rule gives a "
                    + "team direct cost (every rule is shared); use 'even' or '{ weights: … }'")
        }
        let unallocated =
            try root.optional("unallocated")
            .map { UnallocatedPolicy(rawValue: try $0.oneOf(["report", "error"]))! } ?? .report
        return TeamBook(teams: teams, rules: rules, unallocated: unallocated)
    }

    private static func parseShared(_ node: YAMLValue, known: (YAMLValue, String) throws -> Void) throws -> SharedMode {
        if case .scalar = node.node {
            switch try node.oneOf(["proportional", "even"]) {
            case "even": return .even
            default: return .proportional
            }
        }
        try node.allowKeys(["weights"])
        var weights: [String: Decimal] = [:]
        for (team, value) in try node.required("weights").entries() {
            try known(value, team)
            let weight = try value.decimal()
            guard weight > 0 else { throw value.error("weights must be positive") }
            weights[team] = weight
        }
        guard !weights.isEmpty else { throw node.error("weights needs at least one team") }
        return .weights(weights)
    }

    private static func fileName(_ path: String) -> String {
        URL(fileURLWithPath: path).lastPathComponent
    }
}
