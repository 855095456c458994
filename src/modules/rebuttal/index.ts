import { defineModule } from "../../shared/module";
import { rebuttalTable } from "./rebuttal.table";
import { createRebuttalLoaders } from "./rebuttal.loaders";
import { rebuttalResolvers } from "./rebuttal.resolvers";

declare module "../../shared/context" { interface ModuleLoaders { rebuttal: ReturnType<typeof createRebuttalLoaders> } }

// Rebuttals are loaded with their source, primed into sourceByIdOfVisibleParent.
export const rebuttalModule = defineModule({ name: "rebuttal", resolvers: rebuttalResolvers, tables: [rebuttalTable], recordedReads: ["rebuttal"], loaders: { after: ["source"], create: (prisma, viewer, { source }, reads) => createRebuttalLoaders(prisma, viewer, source.sourceByIdOfVisibleParent, reads) } });
