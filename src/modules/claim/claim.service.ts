import type { GraphQLResolveInfo } from "graphql";
import { type Claim, Prisma } from "../../generated/prisma/client";
import type { Context } from "../../shared/context";
import type { Tx } from "../../db/prisma";
import type { ClaimFilter, ClaimOrder, ClaimOrderField, CreateClaimInput, DeleteInput, UpdateClaimInput } from "../../generated/graphql";
import { requireViewer } from "../../shared/access";
import { badInput, notFound } from "../../shared/errors";
import { orderOf, type OrderKeySpec, type PageArgs } from "../../shared/pagination";
import { recordScope } from "../../shared/read-tags";
import { isUuid, parseInput, versionedId } from "../../shared/validation";
import { lockArticle, lockArticleOfClaim } from "../../shared/locks";
import { deleteVersioned, gate, lockVersioned, updateVersioned } from "../../shared/write-gate";
import { assertCanEditArticleContent } from "../article/article.policy";
import { deleteResponsesLeftWithoutAnswers, responsesAnsweringClaim } from "../response/response.service";
import { prepareClaimDeletion } from "../claim-relation/claim-relation.clusters";
import { resolveAnchor } from "./claim.anchor";
import { createClaimInput, updateClaimInput } from "./claim.validation";

type Quantity = { value: number; unit: string; subject?: string | null; period?: string | null } | null | undefined;

/** `claim(id)`: the claim with the tree the query selects, or null (also when the viewer may not see it). */
export function getClaim(ctx: Context, id: string, info: GraphQLResolveInfo) {
  return ctx.planner.byId<Claim>(info, "Claim", id);
}

/** The claim, or NOT_FOUND (also when the viewer may not see it). */
export async function requireClaim(ctx: Context, id: string, field?: string) {
  const claim = isUuid(id) ? await ctx.loaders.claimById.load(id) : null;
  if (!claim) throw notFound("Claim", id, field);
  return claim;
}

/** The claim of an attribution the viewer can already see (so the claim is visible too), or NOT_FOUND. */
export async function requireClaimOfVisibleAttribution(ctx: Context, id: string) {
  const claim = await ctx.loaders.claimByIdOfVisibleAttribution.load(id);
  if (!claim) throw notFound("Claim", id);
  return claim;
}

/** The claims of `claims(filter)` this viewer may see, as one SQL condition over `claim c`. */
function claimListSql(filter: ClaimFilter | null | undefined): Prisma.Sql {
  const conditions = [Prisma.sql`TRUE`];
  if (filter?.articleId) conditions.push(Prisma.sql`c.article_id = ${filter.articleId}::uuid`);
  if (filter?.sourceId) conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM attribution t WHERE t.claim_id = c.id AND t.source_id = ${filter.sourceId}::uuid)`);
  if (filter?.verdict?.length) conditions.push(Prisma.sql`c.current_rating = ANY(${filter.verdict}::"VerdictRating"[])`);
  if (filter?.kind?.length) conditions.push(Prisma.sql`c.kind = ANY(${filter.kind}::"ClaimKind"[])`);
  return Prisma.join(conditions, " AND ");
}

/** The keys `claims(orderBy:)` offers. */
const CLAIM_ORDER_KEYS: Record<ClaimOrderField, OrderKeySpec> = {
  POSITION: { column: "$.position", type: "int", nullable: false },
  CREATED_AT: { column: "$.created_at", type: "timestamptz", nullable: false },
};

/** A page of claims in `orderBy` order (default created_at DESC, id DESC). */
export async function listClaims(ctx: Context, args: PageArgs & { filter?: ClaimFilter | null; orderBy?: ClaimOrder | null }, info: GraphQLResolveInfo) {
  recordScope(ctx, "list:Claim");
  return ctx.planner.connection<Claim>(info, "Claim", "c", args, () => claimListSql(args.filter), orderOf(CLAIM_ORDER_KEYS, args.orderBy));
}

function quantityFields(kind: string, quantity: Quantity) {
  if (kind === "QUANTITATIVE" && !quantity) throw badInput("input.quantity", "is required for a QUANTITATIVE claim (value and unit)");
  if (kind !== "QUANTITATIVE" && quantity) throw badInput("input.quantity", `is only for QUANTITATIVE claims, not ${kind}`);
  return {
    quantityValue: quantity?.value ?? null,
    quantityUnit: quantity?.unit ?? null,
    quantitySubject: quantity?.subject ?? null,
    quantityPeriod: quantity?.period ?? null,
  };
}

/** The outside work a claim cites as its origin, locked against deletion until commit; NOT_FOUND when unknown. */
async function lockOriginWork(tx: Tx, workId: string) {
  const rows = await tx.$queryRaw<unknown[]>`SELECT 1 FROM work WHERE id = ${workId}::uuid FOR KEY SHARE`;
  if (rows.length === 0) throw notFound("Work", workId, "input.originWorkId");
}

const NO_ANCHOR = { quote: null, anchorStart: null, anchorEnd: null, anchorPrefix: null, anchorSuffix: null, anchorState: null };

export async function createClaim(ctx: Context, rawInput: CreateClaimInput) {
  requireViewer(ctx);
  const input = parseInput(createClaimInput, rawInput);
  return gate(ctx, {
    lock: (tx) => lockArticle(tx, input.articleId, "share", "input.articleId"),
    authorise: (article) => assertCanEditArticleContent(ctx, article),
    async write({ tx, locked: article, audit }) {
      const kind = input.kind ?? "FACTUAL";
      const quantity = quantityFields(kind, input.quantity);
      const anchor = resolveAnchor(article.body, input);
      if (input.originWorkId) await lockOriginWork(tx, input.originWorkId);
      const position =
        input.position ?? ((await tx.claim.aggregate({ where: { articleId: article.id }, _max: { position: true } }))._max.position ?? -1) + 1;
      const claim = await tx.claim.create({
        data: {
          articleId: article.id,
          statement: input.statement,
          kind,
          position,
          ...(anchor ?? NO_ANCHOR),
          ...quantity,
          originWorkId: input.originWorkId ?? null,
          // Every claim starts UNVERIFIED; recordedBy stays empty: nobody has judged it yet.
          verdicts: { create: { rating: "UNVERIFIED", rationale: null } },
        },
      });
      await audit({ entity: "Claim", entityId: claim.id, articleId: article.id, action: "CREATE", after: claim });
      return claim;
    },
  });
}

export async function updateClaim(ctx: Context, rawInput: UpdateClaimInput) {
  requireViewer(ctx);
  const { id, expectedVersion, ...changes } = parseInput(updateClaimInput, rawInput);
  return gate(ctx, {
    lock: (tx) => lockArticleOfClaim(tx, id, "share"),
    authorise: (article) => assertCanEditArticleContent(ctx, article),
    async write({ tx, locked: article, audit }) {
      const before = await lockVersioned(tx, "claim", id, expectedVersion, "update");
      const data: Prisma.ClaimUncheckedUpdateManyInput = {};
      if (changes.statement !== undefined) data.statement = changes.statement;
      if (changes.position != null) data.position = changes.position;
      if (changes.originWorkId !== undefined) {
        if (changes.originWorkId) await lockOriginWork(tx, changes.originWorkId);
        data.originWorkId = changes.originWorkId;
      }
      const kind = changes.kind ?? before.kind;
      if (changes.kind != null) data.kind = changes.kind;
      if (changes.kind != null || changes.quantity !== undefined) {
        const kept =
          before.quantityValue != null && before.quantityUnit != null
            ? { value: before.quantityValue, unit: before.quantityUnit, subject: before.quantitySubject, period: before.quantityPeriod }
            : null;
        Object.assign(data, quantityFields(kind, changes.quantity !== undefined ? changes.quantity : kept));
      }
      if (changes.anchor !== undefined || changes.quote !== undefined) {
        Object.assign(data, resolveAnchor(article.body, changes) ?? NO_ANCHOR);
      }
      const after = await updateVersioned(tx, "claim", before, data);
      await audit({ entity: "Claim", entityId: id, articleId: after.articleId, action: "UPDATE", before, after });
      return after;
    },
  });
}

export async function deleteClaim(ctx: Context, rawInput: DeleteInput) {
  requireViewer(ctx);
  const { id, expectedVersion } = parseInput(versionedId, rawInput);
  return gate(ctx, {
    lock: (tx) => lockArticleOfClaim(tx, id, "share"),
    authorise: (article) => assertCanEditArticleContent(ctx, article),
    async write({ tx, audit }) {
      // Before the claim row is locked (src/modules/claim-relation/claim-relation.clusters.ts).
      const mendClusters = await prepareClaimDeletion(tx, { claimId: id });
      const before = await lockVersioned(tx, "claim", id, expectedVersion, "delete");
      const responses = await responsesAnsweringClaim(tx, id);
      await deleteVersioned(tx, "claim", before);
      await mendClusters();
      await deleteResponsesLeftWithoutAnswers(tx, responses);
      await audit({ entity: "Claim", entityId: id, articleId: before.articleId, action: "DELETE", before });
      return { id };
    },
  });
}
