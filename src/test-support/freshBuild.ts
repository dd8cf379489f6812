/**
 * vitest's global setup: the end-to-end tests run the built program (dist/), so before any test
 * runs, dist/ is rebuilt when a source file is newer than it. Without this, `npx vitest run
 * src/cli` after an edit would test the old code. `npm test` builds first, so there it finds
 * dist/ fresh and does nothing.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./data.js";

/** The newest modification time of the files under `dir` that `keep` accepts (0 if none). */
function newest(dir: string, keep: (name: string) => boolean): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && keep(entry.name)) latest = Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

export function isBuildStale(root = REPO_ROOT): boolean {
  const main = join(root, "dist", "cli", "main.js");
  if (!existsSync(main)) return true;
  const sources = newest(join(root, "src"), (name) => name.endsWith(".ts") && !name.endsWith(".test.ts"));
  return sources > newest(join(root, "dist"), (name) => name.endsWith(".js"));
}

export default function setup(): void {
  if (!isBuildStale()) return;
  process.stderr.write("dist/ is older than src/: building it first (npm run build)\n");
  execFileSync("npm", ["run", "build"], { cwd: REPO_ROOT, stdio: ["ignore", "inherit", "inherit"] });
}
