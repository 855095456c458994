import { JSONResolver } from "graphql-scalars";
import type { Resolvers } from "../../generated/graphql";
import { auditNote, listAudit, readableChanges } from "./audit.service";

export const auditResolvers: Resolvers = {
  JSON: JSONResolver,
  Query: {
    auditLog: (_root, args, ctx) => listAudit(ctx, args),
  },
  AuditEntry: {
    actor: (entry, _args, ctx) => (entry.actorId ? ctx.loaders.userById.load(entry.actorId) : null),
    changes: (entry, _args, ctx) => readableChanges(entry, ctx.viewer),
    note: (entry) => auditNote(entry),
  },
  ArticleRevision: {
    createdBy: (revision, _args, ctx) => (revision.createdById ? ctx.loaders.userById.load(revision.createdById) : null),
  },
};
