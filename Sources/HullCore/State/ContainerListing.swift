/// The three outputs of `hull list`, each exactly as `runc list` prints it.
public enum ContainerListing {
    /// `--format table`: the columns `ID PID STATUS BUNDLE CREATED OWNER`, aligned the way runc's
    /// `tabwriter.NewWriter(os.Stdout, 12, 1, 3, ' ', 0)` aligns them: each column but the last is
    /// as wide as its widest cell plus 3 spaces, and at least 12 characters.
    public static func table(_ states: [ContainerState]) -> String {
        let header = ["ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"]
        let rows = states.map { state in
            [state.id, String(state.pid), state.status.rawValue, state.bundle, state.created, state.owner]
        }
        return alignedColumns([header] + rows, minimumWidth: 12, padding: 3)
    }

    /// `--format json`: one line, a JSON array of states; `null` when there are none (runc encodes
    /// its nil slice as `null`).
    public static func json(_ states: [ContainerState]) -> String {
        let value: JSONValue = states.isEmpty ? .null : .array(states.map(\.jsonValue))
        return JSONWriter.compact(value) + "\n"
    }

    /// `--quiet`: the IDs, one per line.
    public static func quiet(_ states: [ContainerState]) -> String {
        states.map { $0.id + "\n" }.joined()
    }

    /// Rows of cells as Go's tabwriter lays out cells that end in a tab: every column except the
    /// last is padded with spaces to max(widest cell + padding, minimumWidth). Widths count
    /// Unicode scalars, as tabwriter counts runes.
    static func alignedColumns(_ rows: [[String]], minimumWidth: Int, padding: Int) -> String {
        let columnCount = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: minimumWidth, count: max(0, columnCount - 1))
        for row in rows {
            for (column, cell) in row.dropLast().enumerated() {
                widths[column] = max(widths[column], cell.unicodeScalars.count + padding)
            }
        }
        var out = ""
        for row in rows {
            for (column, cell) in row.enumerated() {
                out += cell
                if column < row.count - 1 {
                    out += String(repeating: " ", count: widths[column] - cell.unicodeScalars.count)
                }
            }
            out += "\n"
        }
        return out
    }
}
