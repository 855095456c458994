/**
 * What a cacheable read read, as tags (src/http/published-cache.ts stores them with the result,
 * and a write's announcement names the same tags, src/shared/changes.ts):
 *
 * - `<GraphQLType>:<id>` for every row a read returned (`Article:…`, `Claim:…`, `Attribution:…`,
 *   `Response:…`, `Verdict:…`, `Source:…`), and for every id a lookup asked for, found or not (a
 *   lookup that answered null must be dropped when that row appears or becomes visible);
 * - a scope for every root list or search: `list:Article`, `list:Claim`, `list:Source`,
 *   `list:search` (what a list holds changes when rows of its type are written, not only the rows
 *   it showed).
 *
 * Recording more than was shown is harmless (the entry is dropped more often); recording less is a
 * stale read. The request's set exists only when the published-read cache may store the answer
 * (`Context.readTags`: anonymous requests on a server with the cache); otherwise recording is a no-op.
 */
export type TaggedType = "Article" | "Claim" | "Attribution" | "Response" | "Verdict" | "Source" | "Work" | "Affiliation" | "ClaimRelation" | "ClaimCluster";
export type ListScope = "list:Article" | "list:Claim" | "list:Source" | "list:Work" | "list:search";

/** The request's recorder (`Context.readTags`), or undefined when nothing is recorded. */
export type ReadTags = Set<string> | undefined;

export function tagOf(type: TaggedType, id: string): string {
  return `${type}:${id}`;
}

/** Records one row (or one looked-up id) of `type`. `reads` is the context, or its `readTags`. */
export function recordRead(reads: { readTags?: ReadTags } | ReadTags, type: TaggedType, id: string): void {
  const tags = reads instanceof Set ? reads : reads?.readTags;
  tags?.add(tagOf(type, id));
}

/** Records every row of `rows` (their `id`) as `type`. */
export function recordRows(reads: { readTags?: ReadTags } | ReadTags, type: TaggedType, rows: ReadonlyArray<{ id: string }>): void {
  const tags = reads instanceof Set ? reads : reads?.readTags;
  if (!tags) return;
  for (const row of rows) tags.add(tagOf(type, row.id));
}

/** Records that a root list or search was read (its membership, order and count). */
export function recordScope(reads: { readTags?: ReadTags } | ReadTags, scope: ListScope): void {
  const tags = reads instanceof Set ? reads : reads?.readTags;
  tags?.add(scope);
}
