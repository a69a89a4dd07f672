/// The command lines engines send on every container's hot path (`create`, `start`, `state`,
/// `kill`, `delete`, `run`, `exec`, `pause`, `resume`, `list`), parsed without swift-argument-parser, whose
/// reflection-driven setup costs more than the rest of a `hull state` (about 11 of its 16 million
/// instructions). Only plain forms are taken (`--flag value`, `--flag=value`, known flags,
/// positionals in order); anything else — an unknown flag, `--help`, a missing value, combined
/// short flags — returns nil and the full parser handles the command line, so both paths accept
/// the same things and mean the same by them.
public struct QuickArguments: Equatable, Sendable {
    public struct Global: Equatable, Sendable {
        public var root = StateStore.defaultRoot
        public var log: String?
        public var logFormat = "text"
        public var debug = false
    }

    public enum Command: Equatable, Sendable {
        case version
        case state(id: String)
        case start(id: String)
        case pause(id: String)
        case resume(id: String)
        case kill(id: String, signal: String, all: Bool)
        case delete(id: String, force: Bool)
        case create(Launch)
        case run(Launch, detach: Bool, keep: Bool)
        case exec(ExecArguments)
        case list(format: ListFormat, quiet: Bool)
        /// `spec [--bundle DIR] [--rootless]`
        case spec(bundle: String?, rootless: Bool)
    }

    /// `list --format`: what the full parser accepts too.
    public enum ListFormat: String, Equatable, Sendable, CaseIterable {
        case table, json
    }

    /// Whether the command clones processes into a container: it then runs from a sealed copy
    /// of hull's binary first (SealedExecutable), as the full parser's commands do.
    public var clonesIntoContainers: Bool {
        switch command {
        case .create, .run, .exec: true
        default: false
        }
    }

    /// The flags of `create` and `run`.
    public struct Launch: Equatable, Sendable {
        public var id = ""
        public var bundle = "."
        public var pidFile: String?
        public var consoleSocket: String?
        public var pidfdSocket: String?
        public var noPivot = false
        public var noNewKeyring = false
        public var preserveFds = 0
    }

    public var global = Global()
    public var command: Command

    /// `arguments` without argv[0]; nil when the full parser must decide.
    public static func parse(_ arguments: [String]) -> QuickArguments? {
        if arguments == ["--version"] || arguments == ["-v"] { return QuickArguments(command: .version) }
        var words = Words(arguments)
        guard let global = parseGlobal(&words), let name = words.next() else { return nil }
        let command: Command?
        switch name {
        case "state": command = parseID(&words).map { .state(id: $0) }
        case "start": command = parseID(&words).map { .start(id: $0) }
        case "pause": command = parseID(&words).map { .pause(id: $0) }
        case "resume": command = parseID(&words).map { .resume(id: $0) }
        case "kill": command = parseKill(&words)
        case "delete": command = parseDelete(&words)
        case "create": command = parseLaunch(&words, run: false)
        case "run": command = parseLaunch(&words, run: true)
        case "exec": command = parseExec(&words)
        case "list": command = parseList(&words)
        case "spec": command = parseSpec(&words)
        default: command = nil
        }
        return command.map { QuickArguments(global: global, command: $0) }
    }

    private static func parseGlobal(_ words: inout Words) -> Global? {
        var global = Global()
        while let word = words.peek(), word.hasPrefix("-") {
            guard let (flag, inline) = split(word) else { return nil }
            words.skip()
            switch flag {
            case "--root": guard let value = words.value(inline) else { return nil }; global.root = value
            case "--log": guard let value = words.value(inline) else { return nil }; global.log = value
            case "--log-format": guard let value = words.value(inline) else { return nil }; global.logFormat = value
            case "--debug": guard inline == nil else { return nil }; global.debug = true
            default: return nil
            }
        }
        return global
    }

    /// One positional argument and nothing else.
    private static func parseID(_ words: inout Words) -> String? {
        guard let id = words.positional(), words.isEmpty else { return nil }
        return id
    }

    private static func parseKill(_ words: inout Words) -> Command? {
        var all = false
        var positionals: [String] = []
        while let word = words.next() {
            if word == "--all" || word == "-a" {
                all = true
            } else if word.hasPrefix("-") {
                return nil
            } else {
                positionals.append(word)
            }
        }
        guard (1...2).contains(positionals.count) else { return nil }
        return .kill(id: positionals[0], signal: positionals.count == 2 ? positionals[1] : "SIGTERM", all: all)
    }

    private static func parseDelete(_ words: inout Words) -> Command? {
        var force = false
        var id: String?
        while let word = words.next() {
            if word == "--force" || word == "-f" {
                force = true
            } else if word.hasPrefix("-") || id != nil {
                return nil
            } else {
                id = word
            }
        }
        return id.map { .delete(id: $0, force: force) }
    }

    private static func parseLaunch(_ words: inout Words, run: Bool) -> Command? {
        var launch = Launch()
        var detach = false, keep = false
        var id: String?
        while let word = words.next() {
            guard word.hasPrefix("-") else {
                guard id == nil else { return nil }
                id = word
                continue
            }
            guard let (flag, inline) = split(word) else { return nil }
            switch flag {
            case "--bundle", "-b": guard let value = words.value(inline) else { return nil }; launch.bundle = value
            case "--pid-file": guard let value = words.value(inline) else { return nil }; launch.pidFile = value
            case "--console-socket": guard let value = words.value(inline) else { return nil }; launch.consoleSocket = value
            case "--pidfd-socket": guard let value = words.value(inline) else { return nil }; launch.pidfdSocket = value
            case "--preserve-fds":
                guard let value = words.value(inline), let count = Int(value), count >= 0 else { return nil }
                launch.preserveFds = count
            case "--no-pivot": guard inline == nil else { return nil }; launch.noPivot = true
            case "--no-new-keyring": guard inline == nil else { return nil }; launch.noNewKeyring = true
            case "--detach", "-d": guard run, inline == nil else { return nil }; detach = true
            case "--keep": guard run, inline == nil else { return nil }; keep = true
            default: return nil
            }
        }
        guard let id else { return nil }
        launch.id = id
        return run ? .run(launch, detach: detach, keep: keep) : .create(launch)
    }

    /// `exec [flags] ID [COMMAND...]` with the flags engines and people use most; a command
    /// word that looks like a flag is left to the full parser.
    private static func parseExec(_ words: inout Words) -> Command? {
        var exec = ExecArguments()
        while let word = words.peek(), word.hasPrefix("-") {
            guard let (flag, inline) = split(word) else { return nil }
            words.skip()
            switch flag {
            case "--process", "-p": guard let value = words.value(inline) else { return nil }; exec.process = value
            case "--pid-file": guard let value = words.value(inline) else { return nil }; exec.pidFile = value
            case "--console-socket": guard let value = words.value(inline) else { return nil }; exec.consoleSocket = value
            case "--cwd": guard let value = words.value(inline) else { return nil }; exec.cwd = value
            case "--user", "-u": guard let value = words.value(inline) else { return nil }; exec.user = value
            case "--env", "-e": guard let value = words.value(inline) else { return nil }; exec.env.append(value)
            case "--detach", "-d": guard inline == nil else { return nil }; exec.detach = true
            case "--tty", "-t": guard inline == nil else { return nil }; exec.tty = true
            default: return nil
            }
        }
        guard let id = words.positional() else { return nil }
        exec.id = id
        while let word = words.next() {
            guard !word.hasPrefix("-") else { return nil }
            exec.command.append(word)
        }
        guard exec.process == nil || exec.command.isEmpty, exec.process != nil || !exec.command.isEmpty else { return nil }
        return .exec(exec)
    }

    private static func parseList(_ words: inout Words) -> Command? {
        var format = ListFormat.table
        var quiet = false
        while let word = words.next() {
            guard let (flag, inline) = split(word) else { return nil }
            switch flag {
            case "--format", "-f":
                guard let value = words.value(inline), let parsed = ListFormat(rawValue: value) else { return nil }
                format = parsed
            case "--quiet", "-q": guard inline == nil else { return nil }; quiet = true
            default: return nil
            }
        }
        return .list(format: format, quiet: quiet)
    }

    private static func parseSpec(_ words: inout Words) -> Command? {
        var bundle: String?
        var rootless = false
        while let word = words.next() {
            guard let (flag, inline) = split(word) else { return nil }
            switch flag {
            case "--bundle", "-b": guard let value = words.value(inline) else { return nil }; bundle = value
            case "--rootless": guard inline == nil else { return nil }; rootless = true
            default: return nil
            }
        }
        return .spec(bundle: bundle, rootless: rootless)
    }

    /// "--flag=value" -> ("--flag", "value"); "--flag" -> ("--flag", nil); "-x" as is. nil for
    /// forms left to the full parser ("-xyz", "--").
    private static func split(_ word: String) -> (String, String?)? {
        if word == "--" { return nil }
        if word.hasPrefix("--") {
            guard let equals = word.firstIndex(of: "=") else { return (word, nil) }
            return (String(word[..<equals]), String(word[word.index(after: equals)...]))
        }
        return word.count == 2 ? (word, nil) : nil
    }

    private struct Words {
        private var items: ArraySlice<String>
        init(_ items: [String]) { self.items = items[...] }
        var isEmpty: Bool { items.isEmpty }
        func peek() -> String? { items.first }
        mutating func skip() { items = items.dropFirst() }
        mutating func next() -> String? { items.popFirst() }
        /// A positional argument (not a flag).
        mutating func positional() -> String? {
            guard let word = items.first, !word.hasPrefix("-") else { return nil }
            return items.popFirst()
        }
        /// The value of a flag: given inline (`--flag=value`), or the next word.
        mutating func value(_ inline: String?) -> String? {
            if let inline { return inline }
            guard let word = items.first, !word.hasPrefix("-") || word == "-" else { return nil }
            return items.popFirst()
        }
    }
}
