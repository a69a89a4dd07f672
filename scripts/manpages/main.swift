// hull-manpages: writes hull's man pages (section 8) from the command definitions themselves.
//
//     hull --experimental-dump-help > help.json
//     hull-manpages help.json docs OUTDIR VERSION DATE
//
// The synopsis, flags, arguments and the NAME line come from swift-argument-parser's
// `--experimental-dump-help` JSON, so they never drift from the code. What the code does not
// know (the long description, exit statuses, examples, differences from runc, related pages)
// comes from the command's page in docs/ (docs/create.md for hull-create.8, docs/hull.md for
// hull.8), converted from markdown (see `Markdown`); its OPTIONS section is not used. swift-argument-parser's own
// generate-manual plugin is not used: it rebuilds the whole package with its own flags, and its
// pages have no examples, no per-command exit status and no SEE ALSO on subcommand pages.
import Foundation

// MARK: - The dump-help JSON (the fields the pages use)

struct ToolInfo: Decodable {
    var serializationVersion: Int
    var command: CommandInfo
}

struct CommandInfo: Decodable {
    var superCommands: [String]?
    var shouldDisplay: Bool?
    var commandName: String
    var abstract: String?
    var discussion: String?
    var subcommands: [CommandInfo]?
    var arguments: [ArgumentInfo]?

    /// The page name: `hull`, `hull-create`, ...
    var pageName: String { ((superCommands ?? []) + [commandName]).joined(separator: "-") }
    /// The command line that runs it: `hull`, `hull create`, ...
    var invocation: String { ((superCommands ?? []) + [commandName]).joined(separator: " ") }
    var isRoot: Bool { (superCommands ?? []).isEmpty }
    /// swift-argument-parser's built-in `help` subcommand gets no page of its own.
    var isBuiltinHelp: Bool { commandName == "help" && !isRoot }
    var pagedSubcommands: [CommandInfo] {
        (subcommands ?? []).filter { $0.shouldDisplay != false && !$0.isBuiltinHelp }
    }
}

struct ArgumentInfo: Decodable {
    struct Name: Decodable {
        var kind: String
        var name: String
        var spelled: String { kind == "short" ? "-" + name : (kind == "long" ? "--" + name : "-" + name) }
    }
    var kind: String
    var shouldDisplay: Bool
    var sectionTitle: String?
    var isOptional: Bool
    var isRepeating: Bool
    var names: [Name]?
    var valueName: String?
    var defaultValue: String?
    var allValues: [String]?
    var abstract: String?
    var discussion: String?

    var isPositional: Bool { kind == "positional" }
    var takesValue: Bool { kind == "option" }
    var isGlobal: Bool { sectionTitle == "Global Options" }
    /// Short names first, then long ones, each name once (`-h`, `--help`).
    var spelledNames: [String] {
        let all = (names ?? []).sorted { ($0.kind == "short" ? 0 : 1) < ($1.kind == "short" ? 0 : 1) }
        var seen = Set<String>()
        return all.map(\.spelled).filter { seen.insert($0).inserted }
    }
}

// MARK: - roff

enum Roff {
    /// Escapes text for roff: backslashes, and a leading `.` or `'` that would start a request.
    static func text(_ s: String) -> String {
        let escaped = s.replacingOccurrences(of: "\\", with: "\\e")
        return escaped.hasPrefix(".") || escaped.hasPrefix("'") ? "\\&" + escaped : escaped
    }

    /// Literal text (flags, commands, paths): also hyphens as minus signs, so copying works.
    static func literal(_ s: String) -> String {
        text(s).replacingOccurrences(of: "-", with: "\\-")
    }

    static func bold(_ s: String) -> String { "\\fB" + literal(s) + "\\fR" }
    static func italic(_ s: String) -> String { "\\fI" + literal(s) + "\\fR" }

    /// Inline markdown: `code` becomes bold literal text.
    static func inline(_ s: String) -> String {
        var out = ""
        for (index, part) in s.components(separatedBy: "`").enumerated() {
            out += index % 2 == 1 ? bold(part) : text(part)
        }
        // A roff request can only start a line; the escaping above covers the first part only.
        return out
    }
}

// MARK: - docs/COMMAND.md

/// The markdown of the docs/ command pages, as roff. Handles what those pages use: `## TITLE`
/// sections, `### TITLE` subsections, paragraphs, `- ` and `1. ` list items with indented
/// continuation lines, `term` + `: definition` items, code blocks (four-space indented or
/// fenced), tables (each row becomes a tagged paragraph), and inline `code`, **bold** and
/// [links](target) (their text is kept).
enum Markdown {
    /// The `## ` sections of a page, in order, with their lines.
    static func sections(of text: String) -> [(title: String, body: [String])] {
        var result: [(title: String, body: [String])] = []
        var inFence = false
        for line in text.components(separatedBy: "\n") {
            if line.hasPrefix("```") { inFence.toggle() }
            if !inFence && line.hasPrefix("## ") {
                result.append((String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces).uppercased(), []))
            } else if !result.isEmpty {
                result[result.count - 1].body.append(line)
            }
        }
        return result
    }

    static func roff(_ lines: [String]) -> [String] {
        var out: [String] = []
        var index = 0
        func isBlank(_ line: String) -> Bool { line.trimmingCharacters(in: .whitespaces).isEmpty }
        func startsBlock(_ line: String) -> Bool {
            line.hasPrefix("```") || line.hasPrefix("|") || line.hasPrefix("#") || listItem(line) != nil
                || line.hasPrefix(": ")
        }
        while index < lines.count {
            let line = lines[index]
            if isBlank(line) {
                index += 1
            } else if line.hasPrefix("```") {
                var code: [String] = []
                index += 1
                while index < lines.count && !lines[index].hasPrefix("```") { code.append(lines[index]); index += 1 }
                index += 1
                out += codeBlock(code)
            } else if line.hasPrefix("    ") {
                var code: [String] = []
                while index < lines.count && (lines[index].hasPrefix("    ") || isBlank(lines[index])) {
                    code.append(String(lines[index].dropFirst(4))); index += 1
                }
                while let last = code.last, isBlank(last) { code.removeLast() }
                out += codeBlock(code)
            } else if line.hasPrefix("|") {
                var rows: [String] = []
                while index < lines.count && lines[index].hasPrefix("|") { rows.append(lines[index]); index += 1 }
                out += table(rows)
            } else if line.hasPrefix("#") {
                out += [".SS " + inline(line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces))]
                index += 1
            } else if let (marker, first) = listItem(line) {
                var text = [first]
                index += 1
                while index < lines.count && lines[index].hasPrefix(" ") && !isBlank(lines[index]) {
                    text.append(lines[index].trimmingCharacters(in: .whitespaces)); index += 1
                }
                out += [".IP \(marker) 4", inline(text.joined(separator: " "))]
            } else if index + 1 < lines.count && lines[index + 1].hasPrefix(": ") {
                var text = [String(lines[index + 1].dropFirst(2))]
                let term = line
                index += 2
                while index < lines.count && lines[index].hasPrefix(" ") && !isBlank(lines[index]) {
                    text.append(lines[index].trimmingCharacters(in: .whitespaces)); index += 1
                }
                out += [".TP", inline(term), inline(text.joined(separator: " "))]
            } else {
                var text = [line.hasPrefix(": ") ? String(line.dropFirst(2)) : line]
                index += 1
                while index < lines.count && !isBlank(lines[index]) && !startsBlock(lines[index])
                    && !lines[index].hasPrefix("    ") {
                    text.append(lines[index].trimmingCharacters(in: .whitespaces)); index += 1
                }
                out += [".PP", inline(text.joined(separator: " "))]
            }
        }
        return out
    }

    /// `- text` or `1. text`: the roff list marker and the item's text.
    static func listItem(_ line: String) -> (String, String)? {
        if line.hasPrefix("- ") || line.hasPrefix("* ") { return ("\\(bu", String(line.dropFirst(2))) }
        let digits = line.prefix { $0.isNumber }
        if !digits.isEmpty, line.dropFirst(digits.count).hasPrefix(". ") {
            return (digits + ".", String(line.dropFirst(digits.count + 2)))
        }
        return nil
    }

    static func codeBlock(_ lines: [String]) -> [String] {
        [".PP", ".RS 4", ".EX"] + lines.map(Roff.literal) + [".EE", ".RE"]
    }

    /// A table as tagged paragraphs: the first cell is the tag; with two columns the second cell
    /// is the text, with more each cell is prefixed by its column's header.
    static func table(_ rows: [String]) -> [String] {
        let cells = rows.filter { !$0.allSatisfy { "|-: ".contains($0) } }.map(tableCells)
        guard let header = cells.first else { return [] }
        var out: [String] = []
        for row in cells.dropFirst() where !row.isEmpty {
            let rest = row.dropFirst().enumerated().map { offset, cell in
                header.count > 2 && offset + 1 < header.count ? "\(header[offset + 1]): \(cell)" : cell
            }
            out += [".TP", inline(row[0]), inline(rest.joined(separator: "; "))]
        }
        return out
    }

    /// The cells of `| a | b |`; a `|` inside a code span does not split.
    static func tableCells(_ row: String) -> [String] {
        var cells: [String] = []
        var current = ""
        var inCode = false
        for character in row.trimmingCharacters(in: .whitespaces).dropFirst() {
            if character == "`" { inCode.toggle() }
            if character == "|" && !inCode {
                cells.append(current.trimmingCharacters(in: .whitespaces)); current = ""
            } else {
                current.append(character)
            }
        }
        if !current.trimmingCharacters(in: .whitespaces).isEmpty { cells.append(current.trimmingCharacters(in: .whitespaces)) }
        return cells
    }

    /// Inline markup as roff: `code` and **bold** in bold, [text](target) as its text.
    static func inline(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let character = rest.first {
            if character == "`", let end = rest.dropFirst().firstIndex(of: "`") {
                out += Roff.bold(String(rest[rest.index(after: rest.startIndex)..<end]))
                rest = rest[rest.index(after: end)...]
            } else if rest.hasPrefix("**"), let end = rest.dropFirst(2).range(of: "**") {
                out += "\\fB" + inline(String(rest[rest.index(rest.startIndex, offsetBy: 2)..<end.lowerBound])) + "\\fR"
                rest = rest[end.upperBound...]
            } else if character == "[", let close = rest.firstIndex(of: "]"),
                      rest[close...].dropFirst().first == "(", let paren = rest[close...].firstIndex(of: ")") {
                out += inline(String(rest[rest.index(after: rest.startIndex)..<close]))
                rest = rest[rest.index(after: paren)...]
            } else {
                out += character == "\\" ? "\\e" : String(character)
                rest = rest.dropFirst()
            }
        }
        return out.hasPrefix(".") || out.hasPrefix("'") ? "\\&" + out : out
    }

    /// The man pages a SEE ALSO section names: links to docs/X.md of a command become hull-X(8);
    /// `name(N)` references are kept; links to other documents are dropped.
    static func references(in lines: [String], commands: Set<String>) -> [String] {
        var result: [String] = []
        let text = lines.joined(separator: " ")
        var rest = Substring(text)
        while let open = rest.range(of: "](") {
            let target = rest[open.upperBound...].prefix { $0 != ")" && $0 != "#" }
            if target.hasSuffix(".md") {
                let name = String(target.dropLast(3))
                if commands.contains(name) { result.append("hull-\(name)(8)") }
            }
            rest = rest[open.upperBound...]
        }
        for word in text.split(whereSeparator: { " ,;".contains($0) }) {
            if let paren = word.firstIndex(of: "("), word.hasSuffix(")"), !word.contains("["),
               word[word.index(after: paren)..<word.index(before: word.endIndex)].allSatisfy(\.isNumber) {
                result.append(String(word))
            }
        }
        return result
    }
}

// MARK: - pages

struct PageWriter {
    var root: CommandInfo
    var docsDirectory: String
    var version: String
    var date: String

    /// Sections of the docs page that the code already provides (NAME from the abstract,
    /// SYNOPSIS and OPTIONS from the flags) or that have a fixed place in the page.
    static let sectionsFromCode: Set<String> = ["NAME", "SYNOPSIS", "OPTIONS"]
    static let placedSections: Set<String> = ["DESCRIPTION", "EXIT STATUS", "EXAMPLES", "SEE ALSO"]

    func page(for command: CommandInfo) -> String {
        let docs = docsSections(for: command)
        var lines = [
            ".\\\" Generated by scripts/manpages from `hull --experimental-dump-help` and \(docsPath(for: command)).",
            ".TH \(command.pageName.uppercased()) 8 \"\(date)\" \"hull \(version)\" \"System Administration\"",
            ".SH NAME",
            "\(Roff.literal(command.pageName)) \\- \(Roff.text(lowercasedSentence(command.abstract ?? "")))",
            ".SH SYNOPSIS",
        ]
        lines += synopsis(for: command)
        lines += [".SH DESCRIPTION"]
        if let description = docs["DESCRIPTION"] {
            lines += Markdown.roff(description)
        } else {
            lines += [command.abstract, command.discussion].compactMap { $0 }.flatMap { [".PP", Markdown.inline($0)] }
        }
        if !command.pagedSubcommands.isEmpty {
            lines += [".SH COMMANDS"]
            for sub in command.pagedSubcommands {
                lines += [".TP", Roff.bold(sub.commandName),
                          Markdown.inline(sub.abstract ?? "") + " See \\fB\\%\(Roff.literal(sub.pageName))\\fR(8)."]
            }
        }
        let arguments = (command.arguments ?? []).filter(\.shouldDisplay)
        lines += argumentSection("ARGUMENTS", arguments.filter(\.isPositional))
        lines += argumentSection("OPTIONS", arguments.filter { !$0.isPositional && !$0.isGlobal })
        lines += argumentSection("GLOBAL OPTIONS", arguments.filter { !$0.isPositional && $0.isGlobal })
        for (title, body) in docs.ordered where !Self.sectionsFromCode.contains(title) && !Self.placedSections.contains(title) {
            lines += [".SH \(title)"] + Markdown.roff(body)
        }
        lines += [".SH EXIT STATUS"] + Markdown.roff(docs["EXIT STATUS"] ?? Self.usualExitStatus)
        if let examples = docs["EXAMPLES"] {
            lines += [".SH EXAMPLES"] + Markdown.roff(examples)
        }
        lines += [".SH SEE ALSO"] + seeAlso(for: command, docs: docs["SEE ALSO"] ?? [])
        return lines.joined(separator: "\n") + "\n"
    }

    static let usualExitStatus = [
        "`0`", ": Success.", "",
        "`1`", ": Failure; the reason is printed as one line on standard error.", "",
        "`64`", ": Usage error: an unknown flag, a missing or invalid argument.",
    ]

    /// docs/X.md for `hull X`, docs/hull.md for `hull` itself.
    private func docsPath(for command: CommandInfo) -> String {
        let name = command.isRoot ? command.commandName : String(command.pageName.split(separator: "-", maxSplits: 1)[1])
        return "\(docsDirectory)/\(name).md"
    }

    private func docsSections(for command: CommandInfo) -> DocsPage {
        let path = docsPath(for: command)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            FileHandle.standardError.write(Data("hull-manpages: warning: no \(path): page has no examples\n".utf8))
            return DocsPage(ordered: [])
        }
        return DocsPage(ordered: Markdown.sections(of: text))
    }

    private func synopsis(for command: CommandInfo) -> [String] {
        var words = (command.superCommands ?? []).map(Roff.bold)
        if !command.isRoot { words.append("[\\fIglobal options\\fR]") }
        words.append(Roff.bold(command.commandName))
        if command.isRoot {
            words.append("[\\fIglobal options\\fR]")
            words.append("\\fIcommand\\fR [\\fIargument\\fR ...]")
        }
        let own = (command.arguments ?? []).filter { $0.shouldDisplay && !$0.isGlobal && !isHelpOrVersion($0) }
        for argument in own where !command.isRoot || argument.isPositional {
            words.append(usage(of: argument))
        }
        return [".PP", words.joined(separator: " ")]
    }

    private func isHelpOrVersion(_ argument: ArgumentInfo) -> Bool {
        argument.spelledNames.contains("--help") || argument.spelledNames.contains("--version")
    }

    private func usage(of argument: ArgumentInfo) -> String {
        var word: String
        if argument.isPositional {
            word = Roff.italic(argument.valueName ?? "value")
        } else {
            word = argument.spelledNames.map(Roff.bold).joined(separator: "|")
            if argument.takesValue { word += " " + Roff.italic(argument.valueName ?? "value") }
        }
        if argument.isRepeating { word += " ..." }
        return argument.isOptional ? "[" + word + "]" : word
    }

    private func argumentSection(_ title: String, _ arguments: [ArgumentInfo]) -> [String] {
        guard !arguments.isEmpty else { return [] }
        var lines = [".SH \(title)"]
        for argument in arguments {
            var tag: String
            if argument.isPositional {
                tag = Roff.italic(argument.valueName ?? "value")
            } else {
                tag = argument.spelledNames.map(Roff.bold).joined(separator: ", ")
                if argument.takesValue { tag += " " + Roff.italic(argument.valueName ?? "value") }
            }
            lines += [".TP", tag]
            var help = Markdown.inline(argument.abstract ?? "")
            if let values = argument.allValues {
                help += " One of: " + values.map(Roff.bold).joined(separator: ", ") + "."
            }
            if let value = argument.defaultValue, !(argument.abstract ?? "").contains("default") {
                help += " Default: " + Roff.bold(value) + "."
            }
            lines.append(help.trimmingCharacters(in: .whitespaces))
            if let discussion = argument.discussion {
                lines += [".IP", Markdown.inline(discussion)]
            }
        }
        return lines
    }

    private func seeAlso(for command: CommandInfo, docs: [String]) -> [String] {
        var references: [String] = []
        if !command.isRoot { references.append("hull(8)") }
        references += command.pagedSubcommands.map { "\($0.pageName)(8)" }
        let commands = Set(root.pagedSubcommands.map(\.commandName))
        for reference in Markdown.references(in: docs, commands: commands)
        where !references.contains(reference) && reference != "\(command.pageName)(8)" {
            references.append(reference)
        }
        return references.enumerated().map { index, reference in
            let name = String(reference.prefix { $0 != "(" })
            let section = String(reference.dropFirst(name.count))
            let separator = index == references.count - 1 ? "" : " ,"
            return ".BR \(Roff.literal(name)) \(section)\(separator)"
        }
    }

    /// "Create a container." becomes "create a container" for the NAME line; acronyms stay.
    private func lowercasedSentence(_ s: String) -> String {
        var sentence = s.hasSuffix(".") ? String(s.dropLast()) : s
        if let first = sentence.first, let second = sentence.dropFirst().first, second.isLowercase {
            sentence = first.lowercased() + sentence.dropFirst()
        }
        return sentence
    }
}

/// The `## ` sections of a docs/ page, in their order.
struct DocsPage {
    var ordered: [(title: String, body: [String])]

    /// A section's lines (all sections of that title, concatenated), or nil.
    subscript(title: String) -> [String]? {
        let bodies = ordered.filter { $0.title == title }.map(\.body)
        return bodies.isEmpty ? nil : bodies.flatMap { $0 }
    }
}

// MARK: - main

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("hull-manpages: \(message)\n".utf8))
    exit(1)
}

let arguments = CommandLine.arguments
guard arguments.count == 6 else {
    fail("usage: hull-manpages HELP.json DOCS-DIR OUTPUT-DIR VERSION DATE")
}
guard let json = FileManager.default.contents(atPath: arguments[1]) else { fail("cannot read \(arguments[1])") }
let tool: ToolInfo
do {
    tool = try JSONDecoder().decode(ToolInfo.self, from: json)
} catch {
    fail("\(arguments[1]): \(error)")
}
guard tool.serializationVersion == 0 else { fail("unsupported dump-help version \(tool.serializationVersion)") }

let writer = PageWriter(root: tool.command, docsDirectory: arguments[2], version: arguments[4], date: arguments[5])
func writePages(_ command: CommandInfo) {
    let path = "\(arguments[3])/\(command.pageName).8"
    do {
        try writer.page(for: command).write(toFile: path, atomically: true, encoding: .utf8)
    } catch {
        fail("\(path): \(error)")
    }
    command.pagedSubcommands.forEach(writePages)
}
writePages(tool.command)
