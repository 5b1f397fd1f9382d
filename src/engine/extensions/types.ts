// Extensions as the daemon holds them once loaded (the kinds themselves: ../extension-api.ts).

import type { DatabaseExtension, DataIndexExtension, Extension, ImportDetectExtension, IOClassExtension } from "../extension-api.ts";

export type { DatabaseExtension, DataIndexExtension, DetectResult, Extension, ImportCallback, ImportDetectExtension, IOClassExtension } from "../extension-api.ts";

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
