import { defineModule } from "../../shared/module";
import { createAttributionLoaders } from "./attribution.loaders";
import { attributionResolvers } from "./attribution.resolvers";

declare module "../../shared/context" {
  interface ModuleLoaders {
    attribution: ReturnType<typeof createAttributionLoaders>;
  }
}

export const attributionModule = defineModule({
  name: "attribution",
  resolvers: attributionResolvers,
  loaders: {
    // Attributions are loaded with their source, primed into sourceByIdOfVisibleParent.
    after: ["source"],
    create: (prisma, viewer, { source }) => createAttributionLoaders(prisma, viewer, source.sourceByIdOfVisibleParent),
  },
});
