import XCTest
@testable import HullCore

/// The cgroup v2 device program's decisions, run in a small interpreter of the eBPF
/// instructions the generator emits (the kernel cannot run a device program on demand; the
/// integration tests show it attached in the cgroup v2 guest).
final class CgroupDeviceFilterTests: XCTestCase {
    private enum Access: UInt32 { case mknod = 1, read = 2, write = 4 }
    private enum Kind: UInt32 { case block = 1, char = 2 }

    private func rule(_ allow: Bool, _ type: String, _ major: Int64?, _ minor: Int64?, _ access: String) -> CgroupDeviceRules.Rule {
        CgroupDeviceRules.Rule(allow: allow, type: type, major: major, minor: minor, access: access, field: "test")
    }

    /// Runs `program` for one device access; returns R0 (1 allow, 0 deny).
    private func run(_ program: [UInt64], _ kind: Kind, _ major: UInt32, _ minor: UInt32, _ access: [Access],
                     file: StaticString = #filePath, line: UInt = #line) -> UInt64? {
        let accessBits = access.reduce(UInt32(0)) { $0 | $1.rawValue }
        let context: [UInt32] = [kind.rawValue | accessBits << 16, major, minor]
        var registers = [UInt64](repeating: 0, count: 11)
        var pc = 0
        var steps = 0
        while pc < program.count, steps < 100_000 {
            steps += 1
            let word = program[pc]
            let code = UInt8(word & 0xff), dst = Int((word >> 8) & 0xf), src = Int((word >> 12) & 0xf)
            let offset = Int(Int16(truncatingIfNeeded: word >> 16))
            let imm = Int32(truncatingIfNeeded: word >> 32)
            let immediate64 = UInt64(bitPattern: Int64(imm))
            pc += 1
            switch code {
            case 0x61: // ldx w: dst = *(u32 *)(ctx + off)
                XCTAssertEqual(src, 1, "loads only from the context", file: file, line: line)
                registers[dst] = UInt64(context[offset / 4])
            case 0x54: registers[dst] = UInt64(UInt32(truncatingIfNeeded: registers[dst]) & UInt32(bitPattern: imm))
            case 0x74: registers[dst] = UInt64(UInt32(truncatingIfNeeded: registers[dst]) >> UInt32(imm))
            case 0xb4: registers[dst] = UInt64(UInt32(bitPattern: imm))
            case 0xbc: registers[dst] = UInt64(UInt32(truncatingIfNeeded: registers[src]))
            case 0x55: if registers[dst] != immediate64 { pc += offset }
            case 0x5d: if registers[dst] != registers[src] { pc += offset }
            case 0x15: if registers[dst] == immediate64 { pc += offset }
            case 0x05: pc += offset
            case 0x95: return registers[0]
            default:
                XCTFail("unexpected opcode 0x\(String(code, radix: 16))", file: file, line: line)
                return nil
            }
        }
        XCTFail("the program ran off its end", file: file, line: line)
        return nil
    }

    func testRuncDefaultsAllowTheStandardDevicesAndNothingElse() throws {
        let rules = CgroupDeviceRules.rules(resources: [LinuxDeviceCgroup(allow: false, access: "rwm")], devices: [])
        let program = try CgroupDeviceFilter.program(rules)
        XCTAssertEqual(run(program, .char, 1, 3, [.read, .write]), 1, "/dev/null")
        XCTAssertEqual(run(program, .char, 1, 5, [.read]), 1, "/dev/zero")
        XCTAssertEqual(run(program, .char, 1, 9, [.read]), 1, "/dev/urandom")
        XCTAssertEqual(run(program, .char, 5, 0, [.read, .write]), 1, "/dev/tty")
        XCTAssertEqual(run(program, .char, 5, 2, [.read, .write]), 1, "/dev/ptmx")
        XCTAssertEqual(run(program, .char, 136, 7, [.read, .write]), 1, "/dev/pts/7")
        XCTAssertEqual(run(program, .char, 10, 200, [.read, .write]), 1, "/dev/net/tun")
        XCTAssertEqual(run(program, .block, 8, 0, [.mknod]), 1, "mknod of any block device")
        XCTAssertEqual(run(program, .block, 8, 0, [.read]), 0, "reading a disk")
        XCTAssertEqual(run(program, .char, 1, 1, [.read]), 0, "/dev/mem")
        XCTAssertEqual(run(program, .char, 10, 229, [.read, .write]), 0, "/dev/fuse")
    }

    func testTheLastMatchingRuleDecidesForEachAccessBit() throws {
        let program = try CgroupDeviceFilter.program([
            rule(false, "a", nil, nil, "rwm"),
            rule(true, "c", 240, nil, "rw"),
            rule(false, "c", 240, 1, "w"),
            rule(true, "b", 8, 0, "r"),
        ])
        XCTAssertEqual(run(program, .char, 240, 0, [.read, .write]), 1)
        XCTAssertEqual(run(program, .char, 240, 1, [.read]), 1, "only writing 240:1 is denied")
        XCTAssertEqual(run(program, .char, 240, 1, [.write]), 0)
        XCTAssertEqual(run(program, .char, 240, 1, [.read, .write]), 0, "every bit must be allowed")
        XCTAssertEqual(run(program, .char, 240, 0, [.mknod]), 0, "no rule allows mknod")
        XCTAssertEqual(run(program, .block, 240, 0, [.read]), 0, "the type must match")
        XCTAssertEqual(run(program, .block, 8, 0, [.read]), 1)
        XCTAssertEqual(run(program, .block, 8, 1, [.read]), 0)
    }

    func testAWildcardTypeRuleOverridesEverythingBeforeIt() throws {
        let allowAll = try CgroupDeviceFilter.program([rule(false, "c", 1, 3, "rwm"), rule(true, "a", nil, nil, "rwm")])
        XCTAssertEqual(run(allowAll, .char, 1, 3, [.read]), 1)
        XCTAssertEqual(run(allowAll, .block, 8, 0, [.read, .write, .mknod]), 1)
        let denyAll = try CgroupDeviceFilter.program([rule(true, "c", 1, 3, "rwm"), rule(false, "a", nil, nil, "rwm")])
        XCTAssertEqual(run(denyAll, .char, 1, 3, [.read]), 0)
        XCTAssertEqual(try CgroupDeviceFilter.program([]).count > 0, true)
        XCTAssertEqual(run(try CgroupDeviceFilter.program([]), .char, 1, 3, [.read]), 0, "no rules: deny")
    }

    func testNumbersAboveInt32AreComparedUnsigned() throws {
        let program = try CgroupDeviceFilter.program([rule(true, "c", 4_000_000_000, 4_000_000_001, "r")])
        XCTAssertEqual(run(program, .char, 4_000_000_000, 4_000_000_001, [.read]), 1)
        XCTAssertEqual(run(program, .char, 4_000_000_000, 1, [.read]), 0)
    }

    func testBadRulesAreOneLineErrors() {
        XCTAssertThrowsError(try CgroupDeviceFilter.program([rule(true, "x", nil, nil, "r")])) { error in
            XCTAssertEqual((error as? HullError)?.message, "device rule 0: invalid type 'x' (expected a, b or c)")
        }
        XCTAssertThrowsError(try CgroupDeviceFilter.program([rule(true, "c", 1 << 33, nil, "r")])) { error in
            XCTAssertEqual((error as? HullError)?.message, "device rule 0: major or minor number out of range")
        }
        let many = [CgroupDeviceRules.Rule](repeating: rule(true, "c", 1, 2, "rwm"), count: 2000)
        XCTAssertThrowsError(try CgroupDeviceFilter.program(many)) { error in
            XCTAssertEqual((error as? HullError)?.message, "device filter: 2000 rules make a program larger than 4096 instructions")
        }
    }
}
