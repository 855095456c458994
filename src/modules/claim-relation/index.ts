import { defineModule } from "../../shared/module";
import { claimClusterTable, claimRelationTable } from "./claim-relation.table";
import { claimRelationResolvers } from "./claim-relation.resolvers";

// Claim relations and SAME_CLAIM clusters: read through the planner only (no loaders of its own).
export const claimRelationModule = defineModule({
  name: "claimRelation",
  resolvers: claimRelationResolvers,
  tables: [claimRelationTable, claimClusterTable],
  recordedReads: ["claimCluster"],
});
