import { createHash } from "node:crypto";
import { HeaderMap, type ApolloServerPlugin, type GraphQLResponse } from "@apollo/server";
import { Kind, OperationTypeNode, type DocumentNode, type FormattedExecutionResult, type OperationDefinitionNode, type SelectionSetNode } from "graphql";
import pg from "pg";
import type { Context } from "../shared/context";
import { poolConfigFromUrl } from "../db/connection";
import { CONTENT_CHANGED_CHANNEL } from "../shared/write";

/**
 * A cache of what anonymous readers get: published articles and what hangs off them. Only
 * anonymous queries that succeeded are cached (staff and mutations never are), and only when every
 * root field they select records what it read (`recordedReads` of the modules, src/schema.ts):
 * the answer is stored with those tags (src/shared/read-tags.ts).
 *
 * Invalidation by what changed: a write visible to anonymous readers announces the tags it touched
 * in the payload of `NOTIFY claimdesk_content_changed` (src/shared/changes.ts), delivered when it
 * commits; every server instance LISTENs and drops the entries holding any of them (or everything,
 * for `{"all":true}` or a payload it cannot read). A write to a draft announces nothing.
 *
 * Never stale:
 * - a result computed before an invalidation that concerns it is not stored after it: each
 *   invalidation has a sequence number, the fill remembers the one current when it started (before
 *   any SQL), and is refused when a later invalidation named one of its tags (or everything, or
 *   fell out of the bounded history);
 * - a result stored before the invalidation arrives holds the tag, so the invalidation drops it;
 * - while the listening connection is down, nothing is served or stored, and everything is dropped
 *   when it is back (writes may have been missed).
 *
 * Memory: bounded by `maxBytes` (the UTF-8 bytes of each stored JSON answer plus its tags) and by
 * `maxEntries`; the least recently used entries go first. Answers are kept as their JSON text and
 * sent as such (`stringifyResult`), never parsed again on the way out.
 */
export interface PublishedCacheLimits {
  maxBytes: number;
  maxEntries: number;
}

const DEFAULT_CACHE_LIMITS: PublishedCacheLimits = { maxBytes: 16 * 1024 * 1024, maxEntries: 10_000 };
const RECONNECT_MS = 1_000;
/** Invalidations remembered for the fill check; a fill that started before the oldest is refused. */
const HISTORY = 512;

interface Entry {
  /** The JSON of the answer's `data`. */
  json: string;
  bytes: number;
  /** Its tags, space-separated (one string, not hundreds: tags are `Type:uuid` or `list:Type`). */
  tags: string;
}

/** An invalidation: the tags it named, or null for everything. */
interface Invalidation {
  sequence: number;
  tags: ReadonlySet<string> | null;
}

/** The JSON text of a cached answer's `data`, by the object that stands for it in the response. */
const cachedJson = new WeakMap<object, string>();

/**
 * Apollo's `stringifyResult` (src/server.ts): `JSON.stringify(result) + "\n"`, as Apollo's own,
 * except that an answer from the cache (or just stored in it) is written from its JSON text.
 */
export function stringifyResult(result: FormattedExecutionResult): string {
  const json = result.data ? cachedJson.get(result.data) : undefined;
  if (json === undefined) return `${JSON.stringify(result)}\n`;
  // The same bytes as JSON.stringify({ errors, data, extensions }) with data already written.
  const errors = result.errors === undefined ? "" : `"errors":${JSON.stringify(result.errors)},`;
  const extensions = result.extensions === undefined ? "" : `,"extensions":${JSON.stringify(result.extensions)}`;
  return `{${errors}"data":${json}${extensions}}\n`;
}

/** Every root field an operation selects (through fragments), `__typename` included. */
function rootFields(selectionSet: SelectionSetNode, document: DocumentNode, into = new Set<string>()): Set<string> {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) into.add(selection.name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT) rootFields(selection.selectionSet, document, into);
    else {
      const fragment = document.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value);
      if (fragment?.kind === Kind.FRAGMENT_DEFINITION) rootFields(fragment.selectionSet, document, into);
    }
  }
  return into;
}

export class PublishedReadCache {
  private readonly entries = new Map<string, Entry>();
  /** The keys of the entries holding each tag: one key (most tags), or a set of them. */
  private readonly byTag = new Map<string, string | Set<string>>();
  private readonly limits: PublishedCacheLimits;
  private bytes = 0;
  private listening = false;
  private client: pg.Client | undefined;
  private stopped = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  /** Bumped by every invalidation: see `set`. */
  private generation = 0;
  private readonly history: Invalidation[] = [];
  hits = 0;
  misses = 0;
  /** Entries dropped by invalidations (not counting "everything"). */
  invalidated = 0;

  constructor(
    private readonly databaseUrl: string,
    private readonly log: (message: string) => void = () => {},
    limits: Partial<PublishedCacheLimits> = {},
  ) {
    this.limits = { ...DEFAULT_CACHE_LIMITS, ...limits };
  }

  get active(): boolean {
    return this.listening;
  }

  /** Entries held, and their size in bytes as counted against `maxBytes`. */
  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  async start(): Promise<void> {
    const { schema: _schema, ...config } = poolConfigFromUrl(this.databaseUrl);
    const client = new pg.Client(config);
    client.on("notification", (message) => this.announced(message.payload));
    client.on("error", () => this.lost());
    client.on("end", () => this.lost());
    try {
      await client.connect();
      await client.query(`LISTEN ${CONTENT_CHANGED_CHANNEL}`);
      this.client = client;
      this.invalidate(null); // anything may have changed while we were not listening
      this.listening = true;
    } catch (error) {
      this.log(`published-read cache: cannot listen (${String(error)}); retrying`);
      client.end().catch(() => {});
      this.scheduleReconnect();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.listening = false;
    clearTimeout(this.reconnectTimer);
    await this.client?.end().catch(() => {});
  }

  /** A write's announcement (src/shared/changes.ts); anything unreadable drops everything. */
  private announced(payload: string | undefined): void {
    let tags: string[] | null = null;
    try {
      const parsed = JSON.parse(payload ?? "") as { tags?: unknown };
      if (Array.isArray(parsed.tags) && parsed.tags.every((tag): tag is string => typeof tag === "string")) tags = parsed.tags;
    } catch {
      // not JSON (an older instance's empty payload): everything
    }
    this.invalidate(tags);
  }

  /** Drops the entries holding any of `tags`, or every entry (null). */
  private invalidate(tags: readonly string[] | null): void {
    this.generation++;
    this.history.push({ sequence: this.generation, tags: tags && new Set(tags) });
    if (this.history.length > HISTORY) this.history.shift();
    if (!tags) {
      this.entries.clear();
      this.byTag.clear();
      this.bytes = 0;
      return;
    }
    for (const tag of tags) {
      const held = this.byTag.get(tag);
      for (const key of typeof held === "string" ? [held] : [...(held ?? [])]) {
        this.remove(key);
        this.invalidated++;
      }
    }
  }

  private index(tag: string, key: string): void {
    const held = this.byTag.get(tag);
    if (held === undefined) this.byTag.set(tag, key);
    else if (typeof held !== "string") held.add(key);
    else if (held !== key) this.byTag.set(tag, new Set([held, key]));
  }

  private unindex(tag: string, key: string): void {
    const held = this.byTag.get(tag);
    if (held === key) this.byTag.delete(tag);
    else if (typeof held === "object") {
      held.delete(key);
      if (held.size === 1) this.byTag.set(tag, held.values().next().value!);
    }
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
    for (const tag of entry.tags.split(" ")) this.unindex(tag, key);
  }

  private lost(): void {
    if (!this.listening) return;
    this.listening = false;
    this.invalidate(null);
    this.client = undefined;
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.reconnectTimer = setTimeout(() => void this.start(), RECONNECT_MS);
    this.reconnectTimer.unref();
  }

  /** Take it before computing a result to store (before any SQL): `set` checks it. */
  get currentGeneration(): number {
    return this.generation;
  }

  /** The JSON of a stored answer's `data` (the entry becomes the most recently used). */
  get(key: string): string | undefined {
    if (!this.listening) return undefined;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.json;
  }

  /** Whether an invalidation since `generation` concerns a result that read `tags`. */
  private changedSince(generation: number, tags: ReadonlySet<string>): boolean {
    if (generation === this.generation) return false;
    const oldest = this.history[0];
    if (!oldest || oldest.sequence > generation + 1) return true; // history lost: assume it did
    for (const invalidation of this.history) {
      if (invalidation.sequence <= generation) continue;
      if (!invalidation.tags) return true;
      for (const tag of invalidation.tags) if (tags.has(tag)) return true;
    }
    return false;
  }

  /**
   * Stores an answer's data (its JSON text) with the tags it read, unless the content it read
   * changed since `generation` (taken before it was computed). Returns the JSON when stored.
   */
  set(key: string, data: unknown, tags: ReadonlySet<string>, generation: number): string | undefined {
    if (!this.listening || this.entries.has(key) || this.changedSince(generation, tags)) return undefined;
    const json = JSON.stringify(data);
    const joined = [...tags].join(" ");
    const bytes = Buffer.byteLength(json) + joined.length;
    if (bytes > this.limits.maxBytes / 4 || this.limits.maxEntries === 0) return undefined;
    while (this.entries.size > 0 && (this.bytes + bytes > this.limits.maxBytes || this.entries.size >= this.limits.maxEntries)) {
      this.remove(this.entries.keys().next().value!);
    }
    this.entries.set(key, { json, bytes, tags: joined });
    this.bytes += bytes;
    for (const tag of tags) this.index(tag, key);
    return json;
  }

  /**
   * The Apollo plugin that answers cacheable requests from the cache and fills it. `recordedRoots`:
   * the Query fields that record what they read (src/schema.ts `recordedRootFields`).
   */
  plugin(recordedRoots: ReadonlySet<string>): ApolloServerPlugin<Context> {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the hooks below are methods with their own `this`
    const cache = this;
    const recorded = (operation: OperationDefinitionNode, document: DocumentNode) =>
      [...rootFields(operation.selectionSet, document)].every((field) => recordedRoots.has(field));
    return {
      async requestDidStart() {
        let key: string | undefined;
        let generation = 0;
        return {
          async responseForOperation({ operation, document, contextValue, queryHash, request }) {
            if (operation.operation !== OperationTypeNode.QUERY || !contextValue.readTags || !cache.active) return null;
            generation = cache.currentGeneration;
            key = createHash("sha256")
              .update(`${queryHash}\n${request.operationName ?? ""}\n${JSON.stringify(request.variables ?? {})}`)
              .digest("hex");
            const json = cache.get(key);
            if (json === undefined) {
              cache.misses++;
              // A root field that cannot say what it read: its answer is not stored (fail safe).
              if (!recorded(operation, document)) key = undefined;
              return null;
            }
            cache.hits++;
            key = undefined; // served from the cache: nothing to store
            // Over HTTP the JSON text is sent as it is (stringifyResult); in-process callers get the object.
            const data = request.http ? {} : (JSON.parse(json) as Record<string, unknown>);
            if (request.http) cachedJson.set(data, json);
            const response: GraphQLResponse = { http: { status: undefined, headers: new HeaderMap() }, body: { kind: "single", singleResult: { data } } };
            return response;
          },
          async willSendResponse({ response, contextValue }) {
            if (!key || !contextValue.readTags || response.body.kind !== "single") return;
            const result = response.body.singleResult;
            if (result.errors?.length || !result.data) return;
            const json = cache.set(key, result.data, contextValue.readTags, generation);
            if (json !== undefined) cachedJson.set(result.data, json); // written once
          },
        };
      },
    };
  }
}
