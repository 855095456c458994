import DataLoader from "dataloader";
import { recordRead, type ReadTags, type TaggedType } from "./read-tags";

/**
 * What a loader records for the published-read cache (src/shared/read-tags.ts): `type` for every
 * row it returns, and for the keys it was asked for: a row loader's keys are ids of `type` (found
 * or not), a group loader's keys are ids of the `parent` whose children it loads.
 */
export interface LoaderTags<V> {
  reads: ReadTags;
  type: TaggedType;
  /** The id of a row, when the row is not itself `{ id }` (a link row). */
  idOf?: (row: V) => string;
  parent?: TaggedType;
}

function record<V>(tags: LoaderTags<V> | undefined, keyType: TaggedType | undefined, keys: readonly string[], rows: V[]) {
  if (!tags?.reads) return;
  if (keyType) for (const key of keys) recordRead(tags.reads, keyType, key);
  const idOf = tags.idOf ?? ((row: V) => (row as { id: string }).id);
  for (const row of rows) recordRead(tags.reads, tags.type, idOf(row));
}

/** A loader of one row per key: one `WHERE key IN (...)` query per batch, answers in key order. */
export function rowLoader<K extends string, V>(fetch: (keys: readonly K[]) => Promise<V[]>, keyOf: (row: V) => K, tags?: LoaderTags<V>) {
  return new DataLoader<K, V | null>(async (keys) => {
    const rows = await fetch(keys);
    record(tags, tags?.type, keys, rows);
    const byKey = new Map(rows.map((row) => [keyOf(row), row]));
    return keys.map((key) => byKey.get(key) ?? null);
  });
}

/** A loader of many rows per key (children of a parent), keeping the order the query returned. */
export function groupLoader<K extends string, V>(fetch: (keys: readonly K[]) => Promise<V[]>, keyOf: (row: V) => K, tags?: LoaderTags<V>) {
  return new DataLoader<K, V[]>(async (keys) => {
    const rows = await fetch(keys);
    record(tags, tags?.parent, keys, rows);
    const groups = new Map<K, V[]>(keys.map((key) => [key, []]));
    for (const row of rows) groups.get(keyOf(row))?.push(row);
    return keys.map((key) => groups.get(key) ?? []);
  });
}
