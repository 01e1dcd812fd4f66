import ChargebackModel
import Foundation

/// Folder and file names for per-team packs, made from team names so that they cannot leave
/// the output folder or surprise a shell.
public enum TeamPackNames {
    /// A safe name for each team, in order: ASCII letters, digits, `.`, `_` and `-` only (accents
    /// dropped, anything else becomes `_`), no leading `.` or `-`, at most 64 characters, never
    /// empty, and distinct (a clash gets `-2`, `-3`, …). Compared case-insensitively, so packs stay
    /// apart on case-insensitive file systems too.
    public static func names(for teams: [String]) -> [String] {
        var used = Set<String>()
        return teams.map { team in
            let base = safe(team)
            var name = base
            var counter = 2
            while used.contains(name.lowercased()) {
                name = "\(base)-\(counter)"
                counter += 1
            }
            used.insert(name.lowercased())
            return name
        }
    }

    /// One team name made safe (without the clash check).
    public static func safe(_ team: String) -> String {
        let folded = team.folding(
            options: [.diacriticInsensitive, .widthInsensitive], locale: Locale(identifier: "en_US_POSIX"))
        var out = ""
        for scalar in folded.unicodeScalars {
            let allowed =
                scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "._-".unicodeScalars.contains(scalar))
            let character = allowed ? Character(scalar) : "_"
            if character == "_" && out.last == "_" { continue }
            out.append(character)
        }
        while let first = out.first, first == "." || first == "-" || first == "_" { out.removeFirst() }
        out = String(out.prefix(64))
        while let last = out.last, last == "." || last == "_" { out.removeLast() }
        return out.isEmpty ? "team" : out
    }
}
