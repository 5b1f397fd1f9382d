// `npm run demo` (scripts/demo.ts) told on the compiled binary, on SQLite and on MariaDB: the
// story's outcomes are asserted from its transcript, section by section, as far as the demo
// goes today (import, corruption found and recovered, a deletion refused).

import { expect, test } from "bun:test";
import { resolve } from "node:path";
import { binaryPath } from "../helpers/binary.ts";
import { backendSuites, emptyIndex } from "../helpers/index.ts";
import { tempDir } from "../helpers/tmp.ts";

const DEMO = resolve(import.meta.dir, "../../scripts/demo.ts");

/** The transcript's text from the line `# {title}` to the next section. */
function section(transcript: string, title: string): string {
  const start = transcript.indexOf(`\n# ${title}`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = transcript.indexOf("\n# ", start + 3);
  return transcript.slice(start, end < 0 ? undefined : end);
}

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`the demo story [${backend}]`, () => {
    test("import, corruption found and recovered, deletion refused under the archive-copy rule", async () => {
      await binaryPath();
      using work = tempDir("demo");
      await using idx = await emptyIndex(backend);
      const env: Record<string, string> = { ...(process.env as Record<string, string>), DEMO_DIR: work.path };
      if (backend === "mysql") env.DEMO_DATABASE_URL = idx.url;
      const run = Bun.spawnSync([process.execPath, DEMO], { env, stdout: "pipe", stderr: "pipe" });
      const out = run.stdout.toString();
      expect({ code: run.exitCode, err: run.stderr.toString() }).toEqual({ code: 0, err: "" });
      expect(out.trimEnd().endsWith("Demo complete.")).toBe(true);

      const found = section(out, "The daemon checks every file of the acquisition");
      expect(found).toContain('INFO >> [MainThread] Checking copy "2025/02/21/23/1324.dat" on node demo_storage1.');
      expect(found).toMatch(/ERROR >> \[Worker#\d\] File 2025\/02\/21\/23\/1324\.dat on node demo_storage1 is corrupt! Size: 9; expected: 12\n/);
      for (const f of ["meta.txt", "23/1330.dat", "23/1342.dat", "23/1349.dat"])
        expect(found).toMatch(new RegExp(`INFO >> \\[Worker#\\d\\] File 2025/02/21/${f.replace(".", "\\.")} on node demo_storage1 is A-OK!\\n`));
      expect(found).toMatch(/demo_storage1 +4 +90 B +- +1 +- +-\n/);
      expect(found).toContain("$ alpenhorn file state 2025/02/21/23/1324.dat demo_storage1\nCorrupt Ready\n");

      const recovered = section(out, "Recovering the file");
      expect(recovered).toMatch(/File 2025\/02\/21\/23\/1324\.dat on node demo_storage1 is A-OK!/);
      expect(recovered).toContain("$ alpenhorn file state 2025/02/21/23/1324.dat demo_storage1\nHealthy Ready\n");

      const deleting = section(out, "Deleting files");
      expect(deleting).toContain('Released "2025/02/21/meta.txt" for immediate removal on Node "demo_storage1".');
      expect(deleting).toMatch(/WARNING >> \[Worker#\d\] Too few archive copies \(0\) to delete 2025\/02\/21\/meta\.txt on demo_storage1\.\n/);
      expect(deleting).toContain("$ alpenhorn file state 2025/02/21/meta.txt demo_storage1\nHealthy Released Ready\n");

      const one = section(out, "Syncing files between nodes");
      expect(one).toContain("$ alpenhorn file sync --from demo_storage1 --to demo_storage2 2025/02/21/meta.txt\nRequest submitted.\n");
      expect(one).toMatch(/INFO >> \[Worker#\d\] Beginning task AFCR#1: demo_storage1 -> demo_storage2\n/);
      expect(one).toMatch(/INFO >> \[Worker#\d\] Pull of 2025\/02\/21\/meta\.txt complete\. Transferred 52 B in \d+\.\ds \[[\d.]+ [kMG]?i?B\/s\]\n/);
      expect(one).toMatch(/demo_storage2 +1 +52 B +-\n/);

      const bulk = section(out, "Bulk transfers");
      expect(bulk).toContain('Would sync 4 files (50 B) from Node "demo_storage1" to Group "demo_storage2":');
      expect(bulk).toContain("Added 4 new copy requests.");
      for (const f of ["1324", "1330", "1342", "1349"]) expect(bulk).toMatch(new RegExp(`Pull of 2025/02/21/23/${f}\\.dat complete\\. Transferred 1[24] B in`));
      // meta.txt is released on demo_storage1 (the deletion section), so stats count 4 there.
      expect(bulk).toMatch(/demo_storage1 +4 +50 B +-\n/);
      expect(bulk).toMatch(/demo_storage2 +5 +102 B +-\n/);
      expect(section(out, "Nothing left to sync")).toContain("No files to sync");
    }, 120_000);
  });
}
