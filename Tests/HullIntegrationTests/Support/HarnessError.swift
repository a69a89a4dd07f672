/// A failure of the test harness itself (not of hull): one line naming what could not be done.
struct HarnessError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
