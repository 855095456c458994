import { defineModule } from "../../shared/module";
import { workTable } from "./work.table";
import { workResolvers } from "./work.resolvers";

export const workModule = defineModule({ name: "work", resolvers: workResolvers, tables: [workTable], recordedReads: ["work", "works"] });
