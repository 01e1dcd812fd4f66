import Foundation
import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// A run that fails or is killed half-way leaves the previous reports as they were.
final class StagedOutputTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("cb-staged-\(UUID().uuidString)")
        let previous = try StagedOutput(directory: folder)
        try previous.write("report.md", Data("old report".utf8))
        try previous.write("report.csv", Data("old,csv\n".utf8))
        try previous.commit()
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: folder)
    }

    func contents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    func testAFailedRunLeavesThePreviousFilesAndNoStrays() throws {
        let run = try StagedOutput(directory: folder)
        try run.write("report.md", Data("new report".utf8))
        XCTAssertThrowsError(try run.write("../escape.md", Data()))
        run.discard()  // what ReportPipeline.run does when anything throws
        XCTAssertEqual(try contents(), ["report.csv", "report.md"])
        XCTAssertEqual(
            try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8), "old report")
    }

    func testTheStagingFolderOfAKilledRunHidesNothingAndTheNextRunRemovesIt() throws {
        let killed = try StagedOutput(directory: folder)
        try killed.write("report.md", Data("half-written run".utf8))
        // Pretend the staging folder belongs to a process that has since died.
        let dead = try Self.deadProcessID()
        let abandoned = folder.appendingPathComponent("\(StagedOutput.stagingPrefix)\(dead)-1")
        try FileManager.default.moveItem(at: killed.staging, to: abandoned)
        XCTAssertEqual(
            try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8), "old report")

        let next = try StagedOutput(directory: folder)
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: abandoned.path), "the killed run's staging folder is gone")
        next.discard()
        XCTAssertEqual(try contents(), ["report.csv", "report.md"])
    }

    func testAStagingFolderOfALiveRunIsLeftAlone() throws {
        let other = try StagedOutput(directory: folder)
        let live = folder.appendingPathComponent("\(StagedOutput.stagingPrefix)1-7")  // pid 1 is always alive
        try FileManager.default.moveItem(at: other.staging, to: live)
        _ = try StagedOutput(directory: folder)
        XCTAssertTrue(FileManager.default.fileExists(atPath: live.path))
    }

    /// The id of a process that has exited.
    static func deadProcessID() throws -> Int32 {
        let process = try ChildProcess.start("/bin/true", [], environment: [:])
        _ = process.wait()
        return process.pid
    }
}
