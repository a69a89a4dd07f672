import XCTest
@testable import HullCore

/// The v1 → v2 value conversions, against the values runc 1.1 computes.
final class CgroupV2ConversionTests: XCTestCase {
    func testCPUSharesToWeight() {
        XCTAssertEqual(CgroupV2Conversion.cpuWeight(fromShares: 0), 0, "unset stays unset")
        XCTAssertEqual(CgroupV2Conversion.cpuWeight(fromShares: 2), 1)
        XCTAssertEqual(CgroupV2Conversion.cpuWeight(fromShares: 1024), 39)
        XCTAssertEqual(CgroupV2Conversion.cpuWeight(fromShares: 512), 20)
        XCTAssertEqual(CgroupV2Conversion.cpuWeight(fromShares: 262_144), 10_000)
        XCTAssertEqual(CgroupV2Conversion.cpuWeight(fromShares: 1_000_000), 10_000, "clamped to the v1 range")
    }

    func testBlkioWeightToIOWeight() {
        XCTAssertEqual(CgroupV2Conversion.ioWeight(fromBlkioWeight: 0), 0)
        XCTAssertEqual(CgroupV2Conversion.ioWeight(fromBlkioWeight: 10), 1)
        XCTAssertEqual(CgroupV2Conversion.ioWeight(fromBlkioWeight: 500), 4950)
        XCTAssertEqual(CgroupV2Conversion.ioWeight(fromBlkioWeight: 1000), 10_000)
    }

    func testSwapIsMemoryPlusSwapMinusMemory() throws {
        XCTAssertEqual(try CgroupV2Conversion.swapMax(memorySwap: 200, memory: 100), 100)
        XCTAssertEqual(try CgroupV2Conversion.swapMax(memorySwap: 100, memory: 100), 0)
        XCTAssertEqual(try CgroupV2Conversion.swapMax(memorySwap: -1, memory: 100), -1)
        XCTAssertEqual(try CgroupV2Conversion.swapMax(memorySwap: 0, memory: 100), 0)
        XCTAssertThrowsError(try CgroupV2Conversion.swapMax(memorySwap: 50, memory: 100)) { error in
            XCTAssertEqual((error as? HullError)?.message,
                           "linux.resources.memory.swap: must be at least linux.resources.memory.limit (100), got 50")
        }
        XCTAssertThrowsError(try CgroupV2Conversion.swapMax(memorySwap: 50, memory: -1))
    }

    func testLimitText() {
        XCTAssertNil(CgroupV2Conversion.limitText(0))
        XCTAssertEqual(CgroupV2Conversion.limitText(-1), "max")
        XCTAssertEqual(CgroupV2Conversion.limitText(4096), "4096")
    }
}
