import { defineModule } from "../../shared/module";
import { responseAnswerTable, responseConduitTable, responseTable } from "./response.table";
import { createResponseLoaders } from "./response.loaders";
import { responseResolvers } from "./response.resolvers";

declare module "../../shared/context" { interface ModuleLoaders { response: ReturnType<typeof createResponseLoaders> } }

// Responses are loaded with their source, primed into sourceByIdOfVisibleParent. The module also
// answers Claim.responses/rebuttals, Source.responses/rebuttals and Attribution.responses (schema/response.graphql extends those types).
export const responseModule = defineModule({
  name: "response",
  resolvers: responseResolvers,
  tables: [responseTable, responseAnswerTable, responseConduitTable],
  recordedReads: ["response", "rebuttal"],
  loaders: { after: ["source"], create: (prisma, viewer, { source }, reads) => createResponseLoaders(prisma, viewer, source.sourceByIdOfVisibleParent, reads) },
});
