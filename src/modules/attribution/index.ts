import { defineModule } from "../../shared/module";
import { attributionTable } from "./attribution.table";
import { createAttributionLoaders } from "./attribution.loaders";
import { attributionResolvers } from "./attribution.resolvers";

declare module "../../shared/context" { interface ModuleLoaders { attribution: ReturnType<typeof createAttributionLoaders> } }

// Attributions are loaded with their source, primed into sourceByIdOfVisibleParent.
export const attributionModule = defineModule({ name: "attribution", resolvers: attributionResolvers, tables: [attributionTable], recordedReads: ["attribution"], loaders: { after: ["source"], create: (prisma, viewer, { source }, reads) => createAttributionLoaders(prisma, viewer, source.sourceByIdOfVisibleParent, reads) } });
