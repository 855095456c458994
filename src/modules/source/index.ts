import { defineModule } from "../../shared/module";
import { createSourceLoaders } from "./source.loaders";
import { sourceResolvers } from "./source.resolvers";

declare module "../../shared/context" { interface ModuleLoaders { source: ReturnType<typeof createSourceLoaders> } }

export const sourceModule = defineModule({ name: "source", resolvers: sourceResolvers, recordedReads: ["source", "sources"], loaders: { create: (prisma, viewer, _earlier, reads) => createSourceLoaders(prisma, viewer, reads) } });
