// `npm run demo` (scripts/demo.ts) told on the compiled binary, on SQLite and on MariaDB: the
// story's outcomes are asserted from its transcript, section by section: import, corruption
// found and recovered, deletions refused then done with two archive copies, syncs, auto-sync
// and auto-clean chains, and a transport node carried between "hosts". The node statistics are
// the seed demo's (demo.txt) at each step.

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
    test("import, corruption, deletion, syncs, auto-actions and a transport node, as the seed demo", async () => {
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

      expect(found).toMatch(/demo_storage2 +5 +102 B +- +- +- +-\n/);

      const recovered = section(out, "Recovering the file");
      expect(recovered).toContain('Would sync 1 file (12 B) from Node "demo_storage2" to Group "demo_storage1".');
      expect(recovered).toMatch(/INFO >> \[Worker#\d\] Pull of 2025\/02\/21\/23\/1324\.dat complete\. Transferred 12 B in/);
      expect(recovered).toMatch(/demo_storage1 +5 +102 B +- +- +- +-\n/);
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
      expect(bulk).toMatch(/demo_storage1 +5 +102 B +-\n/);
      expect(bulk).toMatch(/demo_storage2 +5 +102 B +-\n/);
      expect(section(out, "Nothing left to sync")).toContain("No files to sync");

      const stats = (text: string, rows: Array<[string, number, string]>) => {
        for (const [node, n, size] of rows) expect(text).toMatch(new RegExp(`\n${node} +${n} +${size.replace(" ", " +")} +-`));
      };
      const archive = section(out, "Archive nodes");
      expect(archive).toContain("Type: Archive");
      expect(archive).toMatch(/WARNING >> \[Worker#\d\] Too few archive copies \(1\) to delete 2025\/02\/21\/meta\.txt on demo_storage1\.\n/);
      const third = section(out, "A third node");
      expect(third).toMatch(/INFO >> \[Worker#\d\] Removed file copy 2025\/02\/21\/meta\.txt on demo_storage1\n/);
      stats(third, [["demo_storage1", 4, "50 B"], ["demo_storage2", 5, "102 B"], ["demo_storage3", 5, "102 B"]]);
      const bulkDelete = section(out, "Bulk deletion");
      expect(bulkDelete).toContain("Would release 4 files (50 B).");
      // Four removals; the directories stay, as the hidden 23/.1325.dat written earlier is still there.
      expect(bulkDelete.match(/Removed file copy 2025\/02\/21\/23\/13\d\d\.dat on demo_storage1\n/g)).toHaveLength(4);
      stats(bulkDelete, [["demo_storage1", 0, "-"], ["demo_storage2", 5, "102 B"], ["demo_storage3", 5, "102 B"]]);
      const first = section(out, "The first auto-sync");
      expect(first).toContain('Auto-sync from "demo_storage1" started');
      expect(first).toMatch(/demo_storage1 +Auto-sync +File added to that node\n/);
      expect(first).toMatch(/Pull of 2025\/02\/26\/meta\.txt complete\. Transferred 52 B in/);
      const second = section(out, "The second auto-sync");
      expect(second).toMatch(/Pull of 2025\/02\/26\/01\/0529\.dat complete\. Transferred 15 B in[^\n]*\n[\s\S]*Pull of 2025\/02\/26\/01\/0529\.dat complete/);
      stats(second, [["demo_storage1", 2, "67 B"], ["demo_storage2", 7, "169 B"], ["demo_storage3", 6, "117 B"]]);
      stats(section(out, "Auto-actions are not retroactive"), [["demo_storage2", 7, "169 B"], ["demo_storage3", 7, "169 B"]]);
      const clean = section(out, "The auto-clean action");
      expect(clean).toContain('Auto-clean trigger: Group "demo_storage3" added');
      expect(clean).toMatch(/demo_storage3 +Auto-clean +File added to that group\n/);
      expect(clean).toMatch(/INFO >> \[Worker#\d\] Removed file copy 2025\/02\/26\/02\/0011\.dat on demo_storage1\n/);
      stats(clean, [["demo_storage1", 0, "-"], ["demo_storage2", 8, "184 B"], ["demo_storage3", 8, "184 B"]]);
      const toTransport = section(out, "Copying data to the Transport group");
      expect(toTransport).toContain('Would sync 8 files (184 B) from Node "demo_storage3" to Group "transport_group".');
      expect(toTransport).toMatch(/Beginning task Pre-pull search for 2025\/02\/21\/meta\.txt in transport_group\n/);
      expect(toTransport).toMatch(/\ntransport1 +8 +184 B +-\n/);
      const carried = section(out, "Transporting the transport node");
      expect(carried).toContain('Storage node "transport1" deactivated.');
      expect(carried).toContain('Would sync 8 files (184 B) from Node "transport1" to Group "demo_storage1".');
      stats(carried, [["demo_storage1", 8, "184 B"], ["demo_storage2", 8, "184 B"], ["demo_storage3", 8, "184 B"], ["transport1", 8, "184 B"]]);
      const cleared = section(out, "Clearing the transport disk");
      expect(cleared.match(/Removed file copy \S+ on transport1\n/g)).toHaveLength(8);
      stats(cleared, [["demo_storage1", 8, "184 B"], ["transport1", 0, "-"]]);
    }, 240_000);
  });
}
