// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "hull",
    products: [
        .executable(name: "hull", targets: ["hull"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // The child side: everything between clone() and execve(). Links libseccomp and libcap.
        .target(
            name: "CHullShim",
            cSettings: [.unsafeFlags(["-Wall", "-Wextra", "-Werror=implicit-function-declaration"])],
            linkerSettings: [.linkedLibrary("seccomp"), .linkedLibrary("cap")]
        ),
        // The core library: spec model, validation, state store, cgroups, lifecycle.
        .target(
            name: "HullCore",
            dependencies: ["CHullShim"]
        ),
        // The command line: flags, printing, exit codes. No logic.
        .executableTarget(
            name: "hull",
            dependencies: [
                "HullCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "HullCoreTests", dependencies: ["HullCore"]),
        .testTarget(name: "HullIntegrationTests", dependencies: ["HullCore"]),
    ]
)
