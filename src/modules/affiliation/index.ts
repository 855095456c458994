import { defineModule } from "../../shared/module";
import { affiliationTable } from "./affiliation.table";
import { createAffiliationLoaders } from "./affiliation.loaders";
import { affiliationResolvers } from "./affiliation.resolvers";

declare module "../../shared/context" { interface ModuleLoaders { affiliation: ReturnType<typeof createAffiliationLoaders> } }

export const affiliationModule = defineModule({
  name: "affiliation",
  resolvers: affiliationResolvers,
  tables: [affiliationTable],
  recordedReads: ["affiliation"],
  loaders: { create: (prisma, viewer, _earlier, reads) => createAffiliationLoaders(prisma, viewer, reads) },
});
