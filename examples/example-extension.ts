// An example import-detect extension, loadable by path:
//
//   extensions:
//     - /etc/alpenhorn/example-extension.ts
//
// It accepts files under a top-level directory named like `run_0001` and makes that
// directory the acquisition: `run_0001/data/x.h5` → acquisition `run_0001`, file `data/x.h5`.
// Everything else is "not an acquisition path" and is left alone.
// (An I/O-class extension, which changes how nodes are served: example-io-class.ts.)

// Types from alpenhorn-ts's extension API (src/engine/extension-api.ts), imported for their
// types only: the import is erased when the daemon loads this file.
import type { DetectResult, ImportDetectExtension } from "../src/engine/extension-api.ts";

const RUN_DIR = /^run_\d{4}$/;

/** `path` is relative to the node root, with `/` separators. */
const detect: ImportDetectExtension["detect"] = async (_db, path): Promise<DetectResult> => {
  const [top, ...rest] = path.split("/");
  if (!top || rest.length === 0 || !RUN_DIR.test(top)) return { acqName: null };
  return {
    acqName: top,
    // Why a callback: extensions keep their own per-acquisition data; here we only note it.
    callback: async (_db, _copy, _newFile, newAcq, node) => {
      if (newAcq) console.error(`example-extension: new run ${newAcq.name} on ${node.name}`);
    },
  };
};

/** The hook alpenhorn calls: a list of extensions (name without dots, a version, a type). */
export function register_extensions() {
  return [{ type: "import-detect", name: "RunDirDetect", version: "1.0.0", detect }];
}
