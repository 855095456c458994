import { defineModule } from "../../shared/module";
import { nodeResolvers } from "./node.resolvers";

/** The Relay Node interface: `node(id)` and `nodes(ids)` over every type with an id (schema/node.graphql). */
export const nodeModule = defineModule({ name: "node", resolvers: nodeResolvers });
