import { defineModule } from "../../shared/module";
import { affiliationTable } from "./affiliation.table";
import { affiliationResolvers } from "./affiliation.resolvers";

export const affiliationModule = defineModule({ name: "affiliation", resolvers: affiliationResolvers, tables: [affiliationTable] });
