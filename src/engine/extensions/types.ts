// Extension kinds, as alpenhorn stages them: 1 database, 2 data-index, 3 import-detect and
// I/O class. An extension module (built in, or a TS/JS file loaded by path) exports
// `register_extensions()` returning a list of these objects.

import type { Db, Driver } from "../../index/driver/types.ts";
import type { TableDef } from "../../index/schema.ts";
import type { ArchiveAcqRow, ArchiveFileCopyRow, ArchiveFileRow, StorageNodeRow } from "../../index/rows.ts";
import type { VersionSpec } from "../../index/version.ts";
import type { GroupIOFactory, NodeIOFactory } from "../io/types.ts";

interface ExtensionBase {
  /** Non-empty, without dots; the full name is `{module}.{name}`. */
  readonly name: string;
  readonly version: string;
  /** Data Index components this extension needs, with version requirements. */
  readonly requireSchema?: Readonly<Record<string, VersionSpec>>;
}

export interface DatabaseExtension extends ExtensionBase {
  readonly type: "database";
  connect(config: Record<string, unknown>): Promise<Driver>;
  /** False forces the daemon to serial I/O. */
  readonly reentrant?: boolean;
}

export interface DataIndexExtension extends ExtensionBase {
  readonly type: "data-index";
  readonly component: string;
  readonly schemaVersion: number;
  readonly tables: readonly TableDef[];
  /** Fills the new tables inside `db init`'s transaction; throw PostInitError to fail softly. */
  postInit?(db: Db): Promise<void>;
}

/** Called after a new copy is registered, with the rows created by the import. */
export type ImportCallback = (
  db: Db,
  copy: ArchiveFileCopyRow,
  newFile: ArchiveFileRow | null,
  newAcq: ArchiveAcqRow | null,
  node: StorageNodeRow,
) => Promise<void>;

/** What an import-detect function answers for a path relative to a node root. */
export interface DetectResult {
  /** The acquisition's name, or null: "not an acquisition path". */
  readonly acqName: string | null;
  readonly callback?: ImportCallback;
}

export interface ImportDetectExtension extends ExtensionBase {
  readonly type: "import-detect";
  detect(db: Db, path: string, node: StorageNodeRow): Promise<DetectResult>;
}

/**
 * An I/O class: nodes and groups whose `io_class` equals `ioClassName` (exactly; not one of the
 * built-in names) are served by these factories. Each is a plain function called with the row,
 * its parsed `io_config`, the FIFO key its tasks must use, the daemon context and `defaultIO`,
 * the built-in Default implementation: call `defaultIO(init)` and override what differs, or
 * return a whole NodeIO/GroupIO (engine/io/types.ts). A factory that throws skips that node or
 * group for the loop, with an ERROR naming the class. examples/example-io-class.ts shows one.
 */
export interface IOClassExtension extends ExtensionBase {
  readonly type: "io-class";
  readonly ioClassName: string;
  readonly nodeClass?: NodeIOFactory;
  readonly groupClass?: GroupIOFactory;
}

export type Extension = DatabaseExtension | DataIndexExtension | ImportDetectExtension | IOClassExtension;

export interface LoadedExtension {
  readonly module: string;
  readonly fullName: string;
  readonly ext: Extension;
}

export interface LoadedExtensions {
  readonly all: readonly LoadedExtension[];
  readonly database?: LoadedExtension & { ext: DatabaseExtension };
  readonly dataIndex: readonly (LoadedExtension & { ext: DataIndexExtension })[];
  readonly importDetect: readonly (LoadedExtension & { ext: ImportDetectExtension })[];
  readonly ioClasses: ReadonlyMap<string, LoadedExtension & { ext: IOClassExtension }>;
}

export const NO_EXTENSIONS: LoadedExtensions = { all: [], dataIndex: [], importDetect: [], ioClasses: new Map() };
