/// Commands run at points of the container lifecycle (`hooks`).
public struct Hooks: Codable, Equatable, Sendable {
    /// Deprecated by the spec in favour of `createRuntime`, `createContainer` and `startContainer`,
    /// but still run. Runtime namespace, after `create`, before pivot_root.
    public var prestart: [Hook]?
    /// Runtime namespace, after the container is created, before pivot_root.
    public var createRuntime: [Hook]?
    /// Container namespace, after the container is created, before pivot_root.
    public var createContainer: [Hook]?
    /// Container namespace, at `start`, before the user process is executed.
    public var startContainer: [Hook]?
    /// Runtime namespace, after the user process has started.
    public var poststart: [Hook]?
    /// Runtime namespace, after the container is deleted.
    public var poststop: [Hook]?

    /// The names of the hook lists, in lifecycle order, as they appear in JSON.
    public static let names = ["prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"]

    public init(
        prestart: [Hook]? = nil,
        createRuntime: [Hook]? = nil,
        createContainer: [Hook]? = nil,
        startContainer: [Hook]? = nil,
        poststart: [Hook]? = nil,
        poststop: [Hook]? = nil
    ) {
        self.prestart = prestart
        self.createRuntime = createRuntime
        self.createContainer = createContainer
        self.startContainer = startContainer
        self.poststart = poststart
        self.poststop = poststop
    }

    /// Each hook list with its JSON name, in lifecycle order; absent lists are left out.
    public var all: [(name: String, hooks: [Hook])] {
        let lists = [prestart, createRuntime, createContainer, startContainer, poststart, poststop]
        return zip(Hooks.names, lists).compactMap { name, list in list.map { (name, $0) } }
    }
}

/// One hook command.
public struct Hook: Codable, Equatable, Sendable {
    /// Absolute path of the executable, in the runtime namespace. REQUIRED.
    public var path: String
    /// argv, including argv[0].
    public var args: [String]?
    public var env: [String]?
    /// Seconds before the hook is aborted; must be greater than zero.
    public var timeout: Int?

    public init(path: String = "", args: [String]? = nil, env: [String]? = nil, timeout: Int? = nil) {
        self.path = path
        self.args = args
        self.env = env
        self.timeout = timeout
    }
}
