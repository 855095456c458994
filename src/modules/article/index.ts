import { defineModule } from "../../shared/module";
import { articleTable } from "./article.table";
import { createArticleLoaders } from "./article.loaders";
import { articleResolvers } from "./article.resolvers";

declare module "../../shared/context" { interface ModuleLoaders { article: ReturnType<typeof createArticleLoaders> } }

export const articleModule = defineModule({ name: "article", resolvers: articleResolvers, tables: [articleTable], recordedReads: ["article", "articles"], loaders: { create: (prisma, viewer, _earlier, reads) => createArticleLoaders(prisma, viewer, reads) } });
