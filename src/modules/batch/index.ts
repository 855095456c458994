import { defineModule } from "../../shared/module";
import { batchResolvers } from "./batch.resolvers";

// Upserts by external key and the bounded batch mutation (schema/upsert.graphql): writes only,
// through the article, source, claim, attribution and verdict services.
export const batchModule = defineModule({ name: "batch", resolvers: batchResolvers });
