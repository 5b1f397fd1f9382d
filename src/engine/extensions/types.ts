// Extension kinds, as alpenhorn stages them: 1 database, 2 data-index, 3 import-detect and
// I/O class. An extension module (built in, or a TS/JS file loaded by path) exports
// `register_extensions()` returning a list of these objects.

import type { Db, Driver } from "../../index/driver/types.ts";
import type { TableDef } from "../../index/schema.ts";
import type { ArchiveAcqRow, ArchiveFileCopyRow, ArchiveFileRow, StorageNodeRow } from "../../index/rows.ts";
import type { VersionSpec } from "../../index/version.ts";

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

export interface IOClassExtension extends ExtensionBase {
  readonly type: "io-class";
  readonly ioClassName: string;
  /** Factories understood by the I/O registry (engine/io/registry.ts). */
  readonly nodeClass?: unknown;
  readonly groupClass?: unknown;
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
