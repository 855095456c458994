import type { ModuleLoaders } from "../shared/context";
import type { TableRegistry } from "../shared/planner/compile";
import { articleModule } from "./article";
import { attributionModule } from "./attribution";
import { auditModule } from "./audit";
import { claimModule } from "./claim";
import { responseModule } from "./response";
import { searchModule } from "./search";
import { sourceModule } from "./source";
import { userModule } from "./user";
import { verdictModule } from "./verdict";
import { workModule } from "./work";
import { affiliationModule } from "./affiliation";
import { claimReviewModule } from "./claimreview";
import { claimRelationModule } from "./claim-relation";
import { batchModule } from "./batch";
import { nodeModule } from "./node";

/**
 * Every module, once: the schema takes their resolvers, the context builds their loaders in this
 * order (a module comes after those named in its `loaders.after`; checked when src/context.ts loads).
 */
export const modules = [articleModule, verdictModule, claimModule, sourceModule, attributionModule, responseModule, userModule, auditModule, searchModule, workModule, affiliationModule, claimReviewModule, claimRelationModule, batchModule, nodeModule] as const;

// A module that declares loaders in ModuleLoaders but is not listed above would type-check and
// then have no loaders at run time: this line fails to compile instead, naming it.
/** The read planner's types, by GraphQL type name, from every module's `tables`. */
export const plannedTables: TableRegistry = new Map(modules.flatMap((module) => module.tables ?? []).map((table) => [table.type, table]));

type Unlisted = Exclude<keyof ModuleLoaders, (typeof modules)[number]["name"]>;
const _everyModuleWithLoadersIsListed: [Unlisted] extends [never] ? true : Unlisted = true;
