import { defineModule } from "../../shared/module";
import { workTable } from "./work.table";
import { workResolvers } from "./work.resolvers";
import { createWorkLoaders } from "./work.loaders";

declare module "../../shared/context" { interface ModuleLoaders { work: ReturnType<typeof createWorkLoaders> } }

export const workModule = defineModule({ name: "work", resolvers: workResolvers, tables: [workTable], recordedReads: ["work", "works"], loaders: { create: (prisma, viewer) => createWorkLoaders(prisma, viewer) } });
