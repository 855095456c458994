import { defineModule } from "../../shared/module";
import { auditResolvers } from "./audit.resolvers";

export const auditModule = defineModule({ name: "audit", resolvers: auditResolvers });
