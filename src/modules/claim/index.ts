import { defineModule } from "../../shared/module";
import { claimTable } from "./claim.table";
import { createClaimLoaders } from "./claim.loaders";
import { claimResolvers } from "./claim.resolvers";

declare module "../../shared/context" { interface ModuleLoaders { claim: ReturnType<typeof createClaimLoaders> } }

// An article's claims are loaded with their current verdict, primed into latestVerdictByClaimId.
export const claimModule = defineModule({ name: "claim", resolvers: claimResolvers, tables: [claimTable], recordedReads: ["claim", "claims"], loaders: { after: ["verdict"], create: (prisma, viewer, { verdict }, reads) => createClaimLoaders(prisma, viewer, verdict.latestVerdictByClaimId, reads) } });
