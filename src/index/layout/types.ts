// The two table layouts that both call themselves Data Index version 2: alpenhorn 632dd41's
// and upstream main's (89943e0). They differ only in how storagenode records its host and
// its archive role, so a layout is a choice on those two axes. Nothing is imported here, so
// the driver contract can hold a connection's layout without an import cycle.

/** Where a node's host lives: free-text columns of storagenode, or a storagehost row. */
export type HostModel = "strings" | "records";
/** How a node's role is stored: the A/T/F `storage_type` code, or the boolean `archive`. */
export type ArchiveModel = "storage_type" | "flag";

export type LayoutName = "632dd41" | "main";

export interface Layout {
  readonly name: LayoutName;
  readonly hosts: HostModel;
  readonly archive: ArchiveModel;
}

export const LAYOUT_632DD41: Layout = { name: "632dd41", hosts: "strings", archive: "storage_type" };
export const LAYOUT_MAIN: Layout = { name: "main", hosts: "records", archive: "flag" };
/** How messages name each layout. */
export const LAYOUT_TITLES: Readonly<Record<LayoutName, string>> = {
  "632dd41": "alpenhorn 632dd41's table layout",
  main: "upstream main's table layout (with storagehost)",
};
export const LAYOUTS: Readonly<Record<LayoutName, Layout>> = { "632dd41": LAYOUT_632DD41, main: LAYOUT_MAIN };

/**
 * What one connection has learned about its index, shared by the connection and every
 * transaction handle it opens. `layout` is filled on first need and dropped after DDL.
 */
export interface ConnectionFacts {
  layout?: Layout;
}
