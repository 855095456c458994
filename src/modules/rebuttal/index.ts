import { defineModule } from "../../shared/module";
import { createRebuttalLoaders } from "./rebuttal.loaders";
import { rebuttalResolvers } from "./rebuttal.resolvers";

declare module "../../shared/context" {
  interface ModuleLoaders {
    rebuttal: ReturnType<typeof createRebuttalLoaders>;
  }
}

export const rebuttalModule = defineModule({
  name: "rebuttal",
  resolvers: rebuttalResolvers,
  loaders: {
    // Rebuttals are loaded with their source, primed into sourceByIdOfVisibleParent.
    after: ["source"],
    create: (prisma, viewer, { source }) => createRebuttalLoaders(prisma, viewer, source.sourceByIdOfVisibleParent),
  },
});
