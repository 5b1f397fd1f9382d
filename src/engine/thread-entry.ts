// Where a worker thread's entry module is, run from the sources or from the compiled binary.
// scripts/compile.ts embeds each entry of its THREAD_ENTRIES as an entry point of its own, its
// path kept from the repository root (/$bunfs/root/src/….js); from the sources it is the .ts
// file itself.

/** Inside the compiled binary, modules live in Bun's embedded filesystem. */
const COMPILED = import.meta.url.startsWith("file:///$bunfs/");

/** The `new Worker` argument for the entry at `repoPath` (from the repository root, no extension). */
export function threadEntry(repoPath: string): string {
  return COMPILED ? `/$bunfs/root/${repoPath}.js` : new URL(`../../${repoPath}.ts`, import.meta.url).href;
}
