// `alpenhorn db init [--only COMP]`: create the Data Index schema and extension components.

import { CliError, UsageError } from "../../common/errors.ts";
import { coreComponent, initDataIndex, type ComponentDef } from "../../index/init.ts";
import { LAYOUTS, type LayoutName } from "../../index/layout/types.ts";
import { CORE_COMPONENT, CORE_SCHEMA_VERSION } from "../../index/schema.ts";
import { schemaVersion } from "../../index/version.ts";
import { defineCommand } from "../_shared/define.ts";

export default defineCommand({
  meta: { name: "init", description: "Initialise or upgrade the Data Index." },
  help: `Initialise or upgrade the Data Index.

Creates the tables of the Data Index, and of every Data Index component provided by configured extensions, that do not exist yet.`,
  options: {
    only: { names: ["-o", "--only"], kind: "value", metavar: "COMP", help: 'Only initialise component COMP ("alpenhorn" for the core Data Index).' },
    layout: {
      names: ["--layout"],
      kind: "value",
      metavar: "[632dd41|main]",
      default: "632dd41",
      help: "Table layout of a new Data Index: alpenhorn 632dd41's (the default) or upstream main's. An existing index is left as it is.",
    },
  },
  args: [],
  async run(ctx, a) {
    const layout = String(a.layout);
    if (!Object.hasOwn(LAYOUTS, layout)) throw new UsageError(`Invalid value for '--layout': '${layout}' is not one of '632dd41', 'main'.`);
    const extComponents: ComponentDef[] = ctx.extensions.dataIndex.map(({ ext }) => ({
      component: ext.component,
      version: ext.schemaVersion,
      tables: ext.tables,
      postInit: ext.postInit,
    }));
    let todo: ComponentDef[] = [coreComponent(layout as LayoutName), ...extComponents];
    const only = a.only;
    if (only !== undefined) {
      const comp = todo.find((c) => c.component === only);
      if (!comp) throw new CliError(`Unsupported component: ${only}`);
      if (only !== CORE_COMPONENT && (await schemaVersion(ctx.db)) !== CORE_SCHEMA_VERSION)
        throw new CliError(`Unable to create component "${only}": Data Index missing`);
      todo = [comp];
    }
    const created = await initDataIndex(ctx.db, todo, (line) => ctx.out.print(line));
    if (!created) ctx.out.print("Data Index already initialised.");
  },
});
