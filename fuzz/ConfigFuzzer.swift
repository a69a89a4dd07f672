// libFuzzer target for config.json: decoding, validation and the process-security plans that
// `hull check` and `create` run (BundleCheck.configProblems). Built and run by `make fuzz`,
// outside the package's products. A crash, a trap or a hang is a finding; an error is not.
import HullCore

@_cdecl("LLVMFuzzerTestOneInput")
public func configFuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let problems = BundleCheck.configProblems(Array(UnsafeBufferPointer(start: data, count: size)))
    for problem in problems where problem.line.contains("\n") {
        fatalError("a problem of more than one line: \(problem.line)")
    }
    return 0
}
