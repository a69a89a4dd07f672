import Foundation
import Glibc
import XCTest

/// `hull check` on the bundles of testdata/check/cases.json (each a merge patch over the busybox
/// bundle's config.json): the exact lines, the exit status, and that `create` fails (or not)
/// with the same error.
final class CheckCommandTests: LifecycleTestCase {
    func testEveryCaseOfTestdata() throws {
        let url = URL(fileURLWithPath: HullRunner.packageDirectory + "/testdata/check/cases.json")
        let cases = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [[String: Any]] ?? []
        XCTAssertGreaterThan(cases.count, 5)
        for entry in cases {
            let name = entry["name"] as? String ?? "?"
            let patch = entry["patch"] as? [String: Any] ?? [:]
            let expect = (entry["expect"] as? [String] ?? []).map { $0.replacingOccurrences(of: "BUNDLE", with: bundle.path) }
            let createFails = entry["createFails"] as? Bool ?? false
            let original = bundle.configJSON
            bundle.config { Self.merge(patch, into: &$0) }
            defer { bundle.config { $0 = original } }

            let check = hull("check", "--bundle", bundle.path)
            XCTAssertEqual(check.stdout.split(separator: "\n").map(String.init), expect, name)
            let hasError = expect.contains { $0.hasPrefix("error: ") }
            XCTAssertEqual(check.status, hasError ? 1 : 0, "\(name): \(check.stderr)")

            let id = makeID("check")
            let create = hull("create", "--bundle", bundle.path, id)
            if createFails {
                let firstError = try XCTUnwrap(expect.first { $0.hasPrefix("error: ") }, name).dropFirst("error: ".count)
                XCTAssertEqual(create.status, 1, name)
                XCTAssertEqual(create.stderr, "config.json: \(firstError)\n", name)
                assertNoLeaks(root: root.path, id: id, bundle: bundle.path)
            } else {
                XCTAssertEqual(create.status, 0, "\(name): \(create.stderr)")
                XCTAssertEqual(hull("delete", "--force", id).status, 0, name)
            }
        }
    }

    func testJSONFormat() {
        bundle.config { config in
            var process = config["process"] as? [String: Any] ?? [:]
            process["apparmorProfile"] = "docker-default"
            config["process"] = process
        }
        let check = hull("check", "--format", "json", "--bundle", bundle.path)
        XCTAssertEqual(check.status, 1)
        XCTAssertEqual(check.stdout, #"{"ok":false,"problems":[{"severity":"error","field":"process.apparmorProfile","message":"AppArmor is not supported by hull (profile \"docker-default\" cannot be applied)"}]}"# + "\n")
    }

    func testANonRootCallerWithoutAUserNamespaceIsAnError() throws {
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bundle.path)
        let result = ChildProcess.run("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups",
                                                           runner.binary, "check", "--bundle", bundle.path])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertEqual(result.stdout.split(separator: "\n").first,
                       "error: linux.namespaces: a rootless container needs a new user namespace (hull runs as uid 65534)")
    }

    /// RFC 7396: objects merge key by key, anything else replaces.
    static func merge(_ patch: [String: Any], into target: inout [String: Any]) {
        for (key, value) in patch {
            if let object = value as? [String: Any], var existing = target[key] as? [String: Any] {
                merge(object, into: &existing)
                target[key] = existing
            } else {
                target[key] = value
            }
        }
    }
}
