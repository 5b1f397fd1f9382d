// An import-detect extension for the fault trials, loaded by path: every file belongs to the
// acquisition named by its path's first element, so names the demo's patterns would refuse
// (spaces, quotes, `$()`, …) still reach the import code under test.

export function register_extensions() {
  return [
    {
      type: "import-detect",
      name: "DetectAll",
      version: "1.0",
      detect: async (_db: unknown, path: string) => {
        const slash = path.indexOf("/");
        return { acqName: slash > 0 ? path.slice(0, slash) : null };
      },
    },
  ];
}
