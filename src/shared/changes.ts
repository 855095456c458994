import type { Tx } from "../db/prisma";
import type { ArticleStatus } from "../generated/prisma/client";
import { tagOf, type ListScope, type TaggedType } from "./read-tags";

/**
 * What a write transaction touched, announced to every instance's published-read cache in the
 * payload of `NOTIFY claimdesk_content_changed` (src/shared/write.ts), delivered at commit.
 *
 * It is collected where every write already passes, never in the services: each audit entry
 * (`recordAudit`: the row, its article, the claims and sources it links, before and after), the
 * article rows the write gate locks (`lockArticle`: their status under the lock), and the rows a
 * claim's deletion takes with it (`deleteVersioned`). The payload is JSON:
 *
 * - `{"tags":[...]}`: the tags of the rows written (src/shared/read-tags.ts), of their parents and
 *   of the sources they link, and the list scopes of the types written (`list:search` always).
 *   Sent only when the change is visible to anonymous readers ("public"): its article was
 *   PUBLISHED before or after the write, or it is a source. A write to a draft, a user or a token
 *   sends nothing: no cached published read can hold it.
 * - `{"all":true}`: everything may have changed: an article became visible or invisible (publish,
 *   return or archive of a published article, deletion of a published one: every lookup of its
 *   claims, attributions, responses and sources changes), or the announcement would pass
 *   PostgreSQL's 8000-byte payload limit (MAX_PAYLOAD_BYTES).
 */
export type Announcement = { all: true } | { tags: string[] };

/** Below PostgreSQL's NOTIFY payload limit (8000 bytes), with room to spare. */
const MAX_PAYLOAD_BYTES = 7_500;

/** The list scopes whose membership, order or count a write of rows of each type can change. */
const SCOPES_OF: Record<TaggedType, ListScope[]> = {
  Article: ["list:Article"],
  Claim: ["list:Claim"],
  // The current rating filters claims (and articles by verdict, which read list:Claim too).
  Verdict: ["list:Claim"],
  // Claims and articles are filtered by source; a source is visible through its attributions.
  Attribution: ["list:Claim", "list:Source"],
  Response: ["list:Source"],
  Source: ["list:Source"],
  // Reference data (works, people's posts): public like sources.
  Work: ["list:Work"],
  Affiliation: [],
  // Claim relations and clusters are only read under a claim or by id (no root list).
  ClaimRelation: [],
  ClaimCluster: [],
};

/** What noteAudit reads of an audit entry (src/shared/audit.ts AuditChange). */
interface AuditedChange {
  entity: string;
  entityId: string;
  articleId?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

const TAGGED = new Set<string>(["Article", "Claim", "Attribution", "Response", "Verdict", "Source", "Work", "Affiliation", "ClaimRelation"]);
/** Written outside any article and possibly shown to anonymous readers: always announced. */
const REFERENCE = new Set<string>(["Source", "Work", "Affiliation"]);

class Changes {
  readonly tags = new Set<string>();
  readonly types = new Set<TaggedType>();
  /** Status of the articles locked by the write gate (it cannot change under the lock). */
  readonly statusOf = new Map<string, string>();
  /** The articles the written rows belong to. */
  readonly articles = new Set<string>();
  public = false;
  everything = false;
}

const changesOf = new WeakMap<Tx, Changes>();

/** Starts collecting for a write transaction (runWrite). */
export function collectChanges(tx: Tx): void {
  changesOf.set(tx, new Changes());
}

/** The article row as locked by the write gate (src/shared/locks.ts). */
export function noteLockedArticle(tx: Tx, article: { id: string; status: ArticleStatus }): void {
  changesOf.get(tx)?.statusOf.set(article.id, article.status);
}

function touch(changes: Changes, type: TaggedType, id: unknown): void {
  if (typeof id !== "string") return;
  changes.tags.add(tagOf(type, id));
}

/** One audited change (recordAudit): the row, its article, the claims and sources it links. */
export function noteAudit(tx: Tx, change: AuditedChange): void {
  const changes = changesOf.get(tx);
  if (!changes || !TAGGED.has(change.entity)) return; // users and tokens: nothing anonymous readers see
  const type = change.entity as TaggedType;
  changes.types.add(type);
  touch(changes, type, change.entityId);
  if (type === "Verdict") changes.types.add("Claim"); // the claim's current rating is written with it
  if (REFERENCE.has(type)) changes.public = true;
  const rows = [change.before, change.after].filter((row): row is Record<string, unknown> => row != null);
  // A response may answer claims of several articles (one claim cluster): `articleIds`.
  const articleIds = new Set<unknown>([change.articleId]);
  for (const row of rows) {
    if (type === "Article") articleIds.add(row.id);
    else articleIds.add(row.articleId);
    if (Array.isArray(row.articleIds)) for (const articleId of row.articleIds as unknown[]) articleIds.add(articleId);
  }
  for (const articleId of articleIds) {
    if (typeof articleId !== "string") continue;
    changes.articles.add(articleId);
    touch(changes, "Article", articleId);
  }
  for (const row of rows) {
    touch(changes, "Claim", row.claimId);
    if (Array.isArray(row.claimIds)) for (const claimId of row.claimIds) touch(changes, "Claim", claimId);
    if (Array.isArray(row.attributionIds)) for (const attributionId of row.attributionIds) touch(changes, "Attribution", attributionId);
    touch(changes, "Source", row.sourceId);
    // An affiliation is read under its person and its organisation (Source.affiliations, Source.members).
    touch(changes, "Source", row.personId);
    touch(changes, "Source", row.organizationId);
    if (Array.isArray(row.sourceIds)) for (const sourceId of row.sourceIds) touch(changes, "Source", sourceId);
  }
  if (type === "Article") {
    const [before, after] = [change.before?.status, change.after?.status];
    const published = before === "PUBLISHED" || after === "PUBLISHED";
    if (published) changes.public = true;
    const status = published ? "PUBLISHED" : (after ?? before);
    if (typeof status === "string") changes.statusOf.set(change.entityId, status);
    // Visible to anonymous readers before and not after, or the reverse: everything under it changes.
    if ((before === "PUBLISHED") !== (after === "PUBLISHED")) changes.everything = true;
  } else if (!REFERENCE.has(type) && articleIds.size === 0) {
    changes.public = true; // content without a known article: assume readers see it
  }
}

/**
 * Before a claim is deleted: the rows that go with it (its attributions, and the responses
 * answering it or one of its attributions, with their sources); its verdicts are only ever read under the claim.
 */
export async function noteClaimDeletion(tx: Tx, claimId: string): Promise<void> {
  const changes = changesOf.get(tx);
  if (!changes) return;
  const rows = await tx.$queryRaw<Array<{ type: "Attribution" | "Response"; id: string; sourceId: string }>>`
    SELECT 'Attribution' AS type, t.id::text AS id, t.source_id::text AS "sourceId" FROM attribution t WHERE t.claim_id = ${claimId}::uuid
    UNION ALL
    SELECT 'Response', r.id::text, r.source_id::text FROM response_answer rc JOIN response r ON r.id = rc.response_id WHERE rc.claim_id = ${claimId}::uuid
    UNION ALL
    SELECT 'Response', r.id::text, r.source_id::text FROM attribution t JOIN response_answer rc ON rc.attribution_id = t.id JOIN response r ON r.id = rc.response_id WHERE t.claim_id = ${claimId}::uuid`;
  changes.types.add("Verdict");
  for (const row of rows) {
    changes.types.add(row.type);
    touch(changes, row.type, row.id);
    touch(changes, "Source", row.sourceId);
  }
}

/**
 * Rows a write changed that its audit entry does not name: the claims whose SAME_CLAIM cluster
 * changed, the clusters formed, merged, split or removed, and the articles of those claims (a
 * relation or a cluster spans articles: the change is public when any of them is published).
 */
export function noteClusterChange(tx: Tx, change: { claimIds: Iterable<string>; clusterIds: Iterable<string>; articleIds: Iterable<string> }): void {
  const changes = changesOf.get(tx);
  if (!changes) return;
  for (const id of change.claimIds) touch(changes, "Claim", id);
  for (const id of change.clusterIds) touch(changes, "ClaimCluster", id);
  for (const id of change.articleIds) {
    changes.articles.add(id);
    touch(changes, "Article", id);
  }
}

/** What to announce at commit, or null when nothing anonymous readers see changed. */
export function announcementOf(tx: Tx): Announcement | null {
  const changes = changesOf.get(tx);
  changesOf.delete(tx);
  if (!changes) return { all: true }; // not collected: say everything rather than nothing
  for (const articleId of changes.articles) {
    const status = changes.statusOf.get(articleId);
    // An article the gate did not lock (its status unknown here) counts as published.
    if (status === undefined || status === "PUBLISHED") changes.public = true;
  }
  if (changes.everything) return { all: true };
  if (!changes.public) return null;
  const tags = [...changes.tags];
  for (const type of changes.types) tags.push(...SCOPES_OF[type]);
  tags.push("list:search");
  return { tags: [...new Set(tags)] };
}

/** The NOTIFY payload of an announcement: `{"all":true}` past the payload limit. */
export function payloadOf(announcement: Announcement): string {
  const payload = JSON.stringify(announcement);
  return Buffer.byteLength(payload) <= MAX_PAYLOAD_BYTES ? payload : JSON.stringify({ all: true });
}
