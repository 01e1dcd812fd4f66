import Foundation

/// `--hourly-truth` of the per-user world: truth-users-hourly.csv,
/// `hour,gateway,model,user_id,input,output,requests`, one row per UTC hour, gateway, model and user
/// with requests, in time order. Hours are buffered while a scrape may still add to them and
/// written once the generator's clock has passed their end, so memory stays one or two hours.
final class UserHourTruth {
    private let file: BufferedFile
    private let pairs: Int
    private let users: Int
    private let gatewayNames: [String]
    /// Per open hour start: `[(pair * users + user) * 3 + (input, output, requests)]`.
    private var open: [Millis: [Int64]] = [:]

    init(path: String, gatewayNames: [String], users: Int) throws {
        file = try BufferedFile(path: path)
        self.gatewayNames = gatewayNames
        self.users = users
        pairs = gatewayNames.count * Catalog.models.count
        try file.write("hour,gateway,model,\(UserWorld.userLabel),input,output,requests\n")
    }

    /// One request of `user` on `pair` (gateway × models + model) at `time`.
    func record(at time: Millis, pair: Int, user: Int, input: Int64, output: Int64) {
        let hour = UTC.floorDiv(time, UTC.hour) * UTC.hour
        let slot = (pair * users + user) * 3
        open[hour, default: [Int64](repeating: 0, count: pairs * users * 3)][slot] += input
        open[hour]![slot + 1] += output
        open[hour]![slot + 2] += 1
    }

    /// Writes the hours that end at or before `time`.
    func flush(before time: Millis) throws {
        for hour in open.keys.sorted() where hour + UTC.hour <= time {
            let values = open.removeValue(forKey: hour)!
            let text = UTC.format(hour)
            for pair in 0..<pairs {
                let prefix =
                    "\(text),\(gatewayNames[pair / Catalog.models.count]),"
                    + "\(Catalog.models[pair % Catalog.models.count].id),"
                for user in 0..<users {
                    let slot = (pair * users + user) * 3
                    guard values[slot + 2] > 0 else { continue }
                    try file.write(
                        prefix + "\(UserWorld.userName(user)),\(values[slot]),\(values[slot + 1]),\(values[slot + 2])\n"
                    )
                }
            }
        }
    }

    func close() throws {
        try flush(before: .max - UTC.hour)
        try file.close()
    }
}
