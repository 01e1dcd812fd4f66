import Foundation

/// Builds the ledger: cuts each key's usage into lines (bucket × price), shares each line between
/// its teams, and rounds cents and tokens once with ``ControlledRounding`` over the network of
/// every set the reports show (see ``Ledger``).
package struct LedgerBuilder {
    let lines: [CostLine]
    let shares: [[Allocator.Share]]
    let teamCount: Int
    let buckets: [Range<Int>]
    let hourly: Bool
    /// Decimals of the currency's smallest unit, which the ledger rounds to (2: cents; 0: yen).
    var minorUnits = 2
    /// Per line, the hours whose shares the directory decides instead (the other hours keep `shares`).
    var runs: [Int: [Allocator.Run]] = [:]

    private struct Piece {
        let line: Int
        let stretch: Int
        let bucket: Int
        /// The teams of this piece's hours: the line's, or a directory run's.
        let shares: [Allocator.Share]
        var hours: Range<Int>
        var tokens: Int64 = 0
        var billable: Int64 = 0
        var cost: Decimal = 0
    }

    /// The usage of every key in pieces of one bucket and one price, skipping empty ones.
    private func pieces() -> [Piece] {
        let hourCount = buckets.last?.upperBound ?? 0
        var bucketOfHour = [Int](repeating: 0, count: hourCount)
        for (index, range) in buckets.enumerated() { for hour in range { bucketOfHour[hour] = index } }
        var pieces: [Piece] = []
        var runOfHour = [Int](repeating: -1, count: hourCount)
        for (number, line) in lines.enumerated() where !shares[number].isEmpty {
            let lineRuns = runs[number] ?? []
            for (index, run) in lineRuns.enumerated() {
                for hour in run.hours where hour < hourCount { runOfHour[hour] = index }
            }
            for (stretchIndex, stretch) in line.stretches.enumerated() {
                var current: Piece?
                var currentRun = -1
                for hour in stretch.hours where hour < hourCount {
                    if current?.bucket != bucketOfHour[hour] || currentRun != runOfHour[hour] {
                        if let done = current, done.tokens != 0 || done.cost != 0 { pieces.append(done) }
                        currentRun = runOfHour[hour]
                        current = Piece(
                            line: number, stretch: stretchIndex, bucket: bucketOfHour[hour],
                            shares: currentRun < 0 ? shares[number] : lineRuns[currentRun].shares, hours: hour..<hour)
                    }
                    current!.hours = current!.hours.lowerBound..<(hour + 1)
                    current!.tokens += line.hourlyTokens[hour]
                    current!.billable += line.hourlyBillable[hour]
                    current!.cost.accumulate(line.hourlyCost[hour])
                }
                if let done = current, done.tokens != 0 || done.cost != 0 { pieces.append(done) }
            }
            for run in lineRuns { for hour in run.hours where hour < hourCount { runOfHour[hour] = -1 } }
        }
        return pieces.sorted { ($0.line, $0.hours.lowerBound) < ($1.line, $1.hours.lowerBound) }
    }

    /// `total` split in units by `fractions`, the parts adding up exactly to `total` (the largest
    /// part takes the difference the rounding of each part leaves).
    private static func split(_ total: Int128, _ exact: Decimal, _ fractions: [Decimal], scale: Decimal) -> [Int128] {
        if fractions.count == 1 { return [total] }
        var parts = fractions.map { Ledger.units(exact * $0 * scale) }
        let largest = parts.indices.max { parts[$0] < parts[$1] } ?? 0
        parts[largest] += total - parts.reduce(0, +)
        return parts
    }

    /// `total` split in units in proportion to whole `weights` (floors, the rest to the largest
    /// weight): a part never passes `total × weight ÷ Σ weights` by more than the rest, which is
    /// under one unit per part, so with `total ≤ Σ weights` tokens no part passes its weight.
    package static func proportional(_ total: Int128, weights: [Int128]) -> [Int128] {
        let sum = weights.reduce(0, +)
        guard sum > 0, total != 0 else { return weights.map { _ in 0 } }
        var parts = weights.map { total * $0 / sum }
        let largest = weights.indices.max { weights[$0] < weights[$1] } ?? 0
        parts[largest] += total - parts.reduce(0, +)
        return parts
    }

    func allocation(teamOrder: [String]) -> Allocation {
        let pieces = pieces()
        // Rows: team × key × price stretch, numbered in report order (team, key, time).
        struct RowID: Hashable {
            let team: Int
            let line: Int
            let stretch: Int
        }
        var rowRules: [RowID: String] = [:]
        for piece in pieces {
            for share in piece.shares {
                let id = RowID(team: share.team, line: piece.line, stretch: piece.stretch)
                if rowRules[id] == nil { rowRules[id] = share.rule }
            }
        }
        let rowIDs = rowRules.keys
        // Rows by team, then key (a line's rank among the lines by key, so keys are compared once
        // per line, not once per comparison), then stretch.
        var lineRank = [Int](repeating: 0, count: lines.count)
        for (rank, line) in lines.indices.sorted(by: { (lines[$0].key, $0) < (lines[$1].key, $1) }).enumerated() {
            lineRank[line] = rank
        }
        let sortedRows = rowIDs.sorted {
            ($0.team, lineRank[$0.line], $0.stretch) < ($1.team, lineRank[$1.line], $1.stretch)
        }
        let rowNumber = Dictionary(uniqueKeysWithValues: sortedRows.enumerated().map { ($1, $0) })

        // The network: S → team → row → (cell) → line → key → gateway × model × type → gateway × model
        // → gateway → T, and T → S for the grand total.
        var network = ControlledRounding()
        let source = network.addNode()
        let sink = network.addNode()
        let totalArc = network.addArc(sink, source)
        let teamNodes = (0..<teamCount).map { _ in network.addNode() }
        let teamArcs = teamNodes.map { network.addArc(source, $0) }
        let rowNodes = sortedRows.map { _ in network.addNode() }
        let rowArcs = sortedRows.enumerated().map { network.addArc(teamNodes[$1.team], rowNodes[$0]) }
        // Above the lines, nodes by name, each with the arc that leaves it and that arc's parent arc
        // (`nil` for a gateway, which flows into T); parents are made before their children.
        var upper: [String: (node: Int, arc: Int)] = [:]
        var chain: [(arc: Int, parent: Int?)] = []
        func node(_ name: String, above parent: (node: Int, arc: Int)?) -> (node: Int, arc: Int) {
            if let known = upper[name] { return known }
            let created = network.addNode()
            let arc = network.addArc(created, parent?.node ?? sink)
            chain.append((arc, parent?.arc))
            upper[name] = (created, arc)
            return (created, arc)
        }
        var keyNodes: [Int: (node: Int, arc: Int)] = [:]
        var lineArcs: [Int] = []
        var cellArcs: [Int] = []
        var cellRows: [Int] = []
        for piece in pieces {
            let key = lines[piece.line].key
            if keyNodes[piece.line] == nil {
                let gateway = node("g\u{0}" + key.gateway, above: nil)
                let model = node("m\u{0}\(key.gateway)\u{0}\(key.model)", above: gateway)
                let type = node("t\u{0}\(key.gateway)\u{0}\(key.model)\u{0}\(key.tokenType)", above: model)
                keyNodes[piece.line] = node("k\u{0}\(piece.line)", above: type)
            }
            let lineNode = network.addNode()
            lineArcs.append(network.addArc(lineNode, keyNodes[piece.line]!.node))
            for share in piece.shares {
                let row = rowNumber[RowID(team: share.team, line: piece.line, stretch: piece.stretch)]!
                cellArcs.append(network.addArc(rowNodes[row], lineNode))
                cellRows.append(row)
            }
        }
        // Exact amounts: cells first, every other arc the sum of the arcs that flow into it.
        let arcCount = network.from.count
        var firstCell: [Int] = []
        var cellCount = 0
        for piece in pieces {
            firstCell.append(cellCount)
            cellCount += piece.shares.count
        }
        func amounts(_ cellAmounts: (_ index: Int, Piece) -> (total: Int128, parts: [Int128])) -> [Int128] {
            var value = [Int128](repeating: 0, count: arcCount)
            for (index, piece) in pieces.enumerated() {
                let (total, parts) = cellAmounts(index, piece)
                for (offset, part) in parts.enumerated() {
                    let cell = firstCell[index] + offset
                    value[cellArcs[cell]] = part
                    value[rowArcs[cellRows[cell]]] += part
                }
                value[lineArcs[index]] = total
                value[keyNodes[piece.line]!.arc] += total
            }
            for (arc, parent) in chain.reversed() { if let parent { value[parent] += value[arc] } }
            for (row, id) in sortedRows.enumerated() { value[teamArcs[id.team]] += value[rowArcs[row]] }
            value[totalArc] = teamArcs.reduce(Int128(0)) { $0 + value[$1] }
            return value
        }
        func fractions(_ piece: Piece) -> [Decimal] { piece.shares.map(\.fraction) }
        let unit = Ledger.unitsPerMinor(minorUnits)
        let hundred = Decimal(1) / 100
        let costs = amounts { _, piece in
            let total = Ledger.units(piece.cost)
            return (total, Self.split(total, piece.cost, fractions(piece), scale: 1))
        }
        let exactTotal = costs[totalArc]
        let totalTarget = exactTotal / unit + (2 * (exactTotal % unit) >= unit ? 1 : 0)
        // Teams first, then the chargeback rows, keys, models and gateways, then lines and cells.
        var priority = [UInt8](repeating: 1, count: arcCount)
        for arc in teamArcs { priority[arc] = 6 }
        for arc in rowArcs { priority[arc] = 5 }
        for (arc, _) in chain { priority[arc] = 4 }
        for arc in lineArcs { priority[arc] = 2 }
        let cents = network.rounded(costs, unit: unit, priority: priority, steer: (totalArc, totalTarget))
        // Tokens in units of 10⁻¹³, whatever the currency.
        let tokenUnit = Ledger.unitsPerCent
        let tokens = network.rounded(
            amounts { _, piece in
                let total = Int128(piece.tokens) * tokenUnit
                return (total, Self.split(total, Decimal(piece.tokens), fractions(piece), scale: hundred))
            }, unit: tokenUnit, priority: priority)
        // The cached tokens inside `input` (measured − billable) follow each cell's whole tokens, so
        // no cell's cached share passes its tokens, and a line with none cached gives every cell none.
        // (A line whose billable tokens lie outside 0...tokens, which pricing never makes, is split
        // by the shares' fractions instead.)
        let cached = network.rounded(
            amounts { index, piece in
                let count = piece.shares.count
                let whole = (0..<count).map { Int128(tokens[cellArcs[firstCell[index] + $0]]) }
                let total = Int128(piece.tokens - piece.billable) * tokenUnit
                guard piece.billable >= 0, piece.billable <= piece.tokens else {
                    return (
                        total,
                        Self.split(total, Decimal(piece.tokens - piece.billable), fractions(piece), scale: hundred)
                    )
                }
                return (total, Self.proportional(total, weights: whole))
            }, unit: tokenUnit, priority: priority)
        let billable = zip(tokens, cached).map { $0 - $1 }

        var ledgerLines: [LedgerLine] = []
        var ledgerCells: [LedgerCell] = []
        var rowExact = [Decimal](repeating: 0, count: sortedRows.count)
        var cell = 0
        for (index, piece) in pieces.enumerated() {
            let line = lines[piece.line]
            let arc = lineArcs[index]
            for share in piece.shares {
                let exact = piece.cost * share.fraction
                let row = cellRows[cell]
                let cellArc = cellArcs[cell]
                rowExact[row] += exact
                ledgerCells.append(
                    LedgerCell(
                        team: share.team, line: index, row: row, tokens: tokens[cellArc],
                        billableTokens: billable[cellArc], exactCost: exact,
                        cost: Ledger.amount(minor: cents[cellArc], minorUnits)))
                cell += 1
            }
            ledgerLines.append(
                LedgerLine(
                    line: piece.line, key: line.key, bucket: piece.bucket, hours: piece.hours,
                    unitPrice: line.stretches[piece.stretch].perMillion, tokens: piece.tokens,
                    billableTokens: piece.billable, exactCost: piece.cost,
                    cost: Ledger.amount(minor: cents[arc], minorUnits)))
        }
        let rows = sortedRows.enumerated().map { number, id in
            let line = lines[id.line]
            let stretch = line.stretches[id.stretch]
            let rule = rowRules[id] ?? ""
            return AllocatedRow(
                team: teamOrder[id.team], key: line.key, tokens: tokens[rowArcs[number]],
                billableTokens: billable[rowArcs[number]], unitPrice: stretch.perMillion,
                priceSince: stretch.since, hours: stretch.hours, exactCost: rowExact[number],
                cost: Ledger.amount(minor: cents[rowArcs[number]], minorUnits), rule: rule)
        }
        return Allocation(
            rows: rows, teamOrder: teamOrder, roundedTotal: Ledger.amount(minor: cents[totalArc], minorUnits),
            ledger: Ledger(hourly: hourly, buckets: buckets, lines: ledgerLines, cells: ledgerCells))
    }
}
