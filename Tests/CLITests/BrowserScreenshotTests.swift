import Foundation
import TestSupport
import Testing

/// The HTML report checked as a person would see it: headless Chromium (Debian's `chromium`
/// package, installed by .ci/run and scripts/setup-debian.sh) renders it to a PNG.
///
/// Without a PNG decoder the check is pragmatic but real: the screenshot must be a PNG of the
/// requested size, and much larger than the screenshot of an empty page of the same size
/// (PNG compresses a blank page to a few kilobytes; text and charts do not compress away).
/// Chromium's --dump-dom must also show the charts' elements after the page loaded.
@Suite("HTML report in headless Chromium")
struct BrowserScreenshotTests {
    static let browser: String? = ["chromium", "chromium-browser", "google-chrome"].lazy.compactMap(which).first
    static let size = (width: 1000, height: 1400)

    static func chromium(_ arguments: [String], profile: URL) throws -> CommandResult {
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                      "--hide-scrollbars", "--user-data-dir=\(profile.path)"]
        return try runProgram(browser!, common + arguments, timeout: 90)
    }

    /// Width and height from a PNG's IHDR chunk; nil if the bytes are not a PNG.
    static func pngSize(_ data: Data) -> (Int, Int)? {
        let bytes = [UInt8](data)
        guard bytes.count > 24, bytes[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
              String(decoding: bytes[12..<16], as: UTF8.self) == "IHDR" else { return nil }
        func be32(_ i: Int) -> Int { bytes[i..<i + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (be32(16), be32(20))
    }

    @Test(.enabled(if: browser != nil, "chromium is not installed (apt-get install chromium); the screenshot check is skipped"))
    func reportRendersToANonBlankScreenshot() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let html = dir.appendingPathComponent("report.html"), blank = dir.appendingPathComponent("blank.html")
        let r = try runScaleplan(["evaluate", "scenarios/chat-assistant.yaml", "--html", html.path, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let points = try #require((jsonObject(r.stdout)?["frontier"] as? [Any])?.count)
        try "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body></body></html>".write(to: blank, atomically: true, encoding: .utf8)

        var sizes: [String: Int] = [:]
        for (name, page) in [("report", html), ("blank", blank)] {
            let png = dir.appendingPathComponent("\(name).png")
            let run = try Self.chromium(["--window-size=\(Self.size.width),\(Self.size.height)", "--screenshot=\(png.path)", page.absoluteString],
                                        profile: dir.appendingPathComponent("profile-\(name)"))
            #expect(run.status == 0, "chromium failed: \(run.stderr.suffix(600))")
            let data = try Data(contentsOf: png)
            let size = try #require(Self.pngSize(data), "\(name).png is not a PNG")
            #expect(size == (Self.size.width, Self.size.height))
            sizes[name] = data.count
        }
        let report = try #require(sizes["report"]), empty = try #require(sizes["blank"])
        #expect(report > 10 * empty && report > 50_000, "report.png \(report) bytes against a blank page's \(empty): the page looks blank")

        // The DOM after loading still has both charts and every frontier point.
        let dom = try Self.chromium(["--dump-dom", html.absoluteString], profile: dir.appendingPathComponent("profile-dom"))
        #expect(dom.status == 0)
        #expect(dom.stdout.components(separatedBy: "<svg ").count - 1 == 2)
        #expect(dom.stdout.components(separatedBy: "class=\"frontier-point\"").count - 1 == points)
    }
}
