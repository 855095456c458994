import { defineModule } from "../../shared/module";
import { verdictTable } from "./verdict.table";
import { createVerdictLoaders } from "./verdict.loaders";
import { verdictResolvers } from "./verdict.resolvers";

declare module "../../shared/context" { interface ModuleLoaders { verdict: ReturnType<typeof createVerdictLoaders> } }

export const verdictModule = defineModule({ name: "verdict", resolvers: verdictResolvers, tables: [verdictTable], loaders: { create: (prisma, _viewer, _earlier, reads) => createVerdictLoaders(prisma, reads) } });
