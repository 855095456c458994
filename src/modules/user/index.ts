import { defineModule } from "../../shared/module";
import { userTable } from "./user.table";
import { createUserLoaders } from "./user.loaders";
import { userResolvers } from "./user.resolvers";
import { viewerForToken } from "./user.tokens";

declare module "../../shared/context" { interface ModuleLoaders { user: ReturnType<typeof createUserLoaders> } }

export const userModule = defineModule({ name: "user", resolvers: userResolvers, tables: [userTable], recordedReads: ["me"], authenticate: viewerForToken, loaders: { create: (prisma) => createUserLoaders(prisma) } });
