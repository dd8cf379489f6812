import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isBuildStale } from "./freshBuild.js";

function tree(files: Record<string, number>): string {
  const root = mkdtempSync(join(tmpdir(), "prednas-build-"));
  for (const [path, seconds] of Object.entries(files)) {
    const file = join(root, path);
    mkdirSync(join(file, ".."), { recursive: true });
    writeFileSync(file, "");
    utimesSync(file, seconds, seconds);
  }
  return root;
}

describe("the tests' build check", () => {
  it("finds dist/ stale when missing or older than a source, not when only a test is newer", () => {
    expect(isBuildStale(tree({ "src/a.ts": 100 }))).toBe(true);
    expect(isBuildStale(tree({ "src/a.ts": 100, "src/cli/b.ts": 300, "dist/cli/main.js": 200 }))).toBe(true);
    expect(isBuildStale(tree({ "src/a.ts": 100, "src/a.test.ts": 300, "dist/cli/main.js": 200 }))).toBe(false);
  });
});
