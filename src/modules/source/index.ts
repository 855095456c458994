import { defineModule } from "../../shared/module";
import { sourceTable } from "./source.table";
import { createSourceLoaders } from "./source.loaders";
import { sourceResolvers } from "./source.resolvers";

declare module "../../shared/context" { interface ModuleLoaders { source: ReturnType<typeof createSourceLoaders> } }

export const sourceModule = defineModule({ name: "source", resolvers: sourceResolvers, tables: [sourceTable], recordedReads: ["source", "sources"], loaders: { create: (prisma, _viewer, _earlier, reads) => createSourceLoaders(prisma, reads) } });
