import { defineModule } from "../../shared/module";
import { sourceTable } from "./source.table";
import { createSourceLoaders } from "./source.loaders";
import { sourceResolvers } from "./source.resolvers";

declare module "../../shared/context" { interface ModuleLoaders { source: ReturnType<typeof createSourceLoaders> } }

export const sourceModule = defineModule({ name: "source", resolvers: sourceResolvers, tables: [sourceTable], loaders: { create: (prisma) => createSourceLoaders(prisma) } });
