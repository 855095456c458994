import { defineModule } from "../../shared/module";
import { searchResolvers } from "./search.resolvers";

export const searchModule = defineModule({ name: "search", resolvers: searchResolvers, recordedReads: ["search"] });
