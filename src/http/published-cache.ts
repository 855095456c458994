import { createHash } from "node:crypto";
import { HeaderMap, type ApolloServerPlugin, type GraphQLResponse } from "@apollo/server";
import { OperationTypeNode, type FormattedExecutionResult } from "graphql";
import pg from "pg";
import type { Context } from "../shared/context";
import { poolConfigFromUrl } from "../db/connection";
import { CONTENT_CHANGED_CHANNEL } from "../shared/write";

/**
 * A cache of what anonymous readers get: published articles and what hangs off them. Only
 * anonymous queries that succeeded are cached (staff and mutations never are). Every write
 * transaction sends `NOTIFY claimdesk_content_changed` (src/shared/write.ts), delivered when it
 * commits; every server instance LISTENs and empties its cache then. While the listening
 * connection is down, nothing is cached or served from the cache.
 */
/** Bounded by the size of what it holds (its JSON length), oldest entries evicted first. */
const DEFAULT_BUDGET_CHARS = 16 * 1024 * 1024;
const RECONNECT_MS = 1_000;

export class PublishedReadCache {
  private readonly entries = new Map<string, { result: FormattedExecutionResult; size: number }>();
  private size = 0;
  private listening = false;
  private client: pg.Client | undefined;
  private stopped = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  /** Bumped by every invalidation: a result computed before one must not be stored after it. */
  private generation = 0;
  hits = 0;
  misses = 0;

  constructor(
    private readonly databaseUrl: string,
    private readonly log: (message: string) => void = () => {},
    private readonly budgetChars = DEFAULT_BUDGET_CHARS,
  ) {}

  get active(): boolean {
    return this.listening;
  }

  async start(): Promise<void> {
    const { schema: _schema, ...config } = poolConfigFromUrl(this.databaseUrl);
    const client = new pg.Client(config);
    client.on("notification", () => this.invalidate());
    client.on("error", () => this.lost());
    client.on("end", () => this.lost());
    try {
      await client.connect();
      await client.query(`LISTEN ${CONTENT_CHANGED_CHANNEL}`);
      this.client = client;
      this.invalidate(); // anything may have changed while we were not listening
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

  private invalidate(): void {
    this.generation++;
    this.entries.clear();
    this.size = 0;
  }

  private lost(): void {
    if (!this.listening) return;
    this.listening = false;
    this.invalidate();
    this.client = undefined;
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.reconnectTimer = setTimeout(() => void this.start(), RECONNECT_MS);
    this.reconnectTimer.unref();
  }

  get currentGeneration(): number {
    return this.generation;
  }

  get(key: string): FormattedExecutionResult | undefined {
    return this.listening ? this.entries.get(key)?.result : undefined;
  }

  /** Stores a result, unless the content changed since it was computed (`generation` then). */
  set(key: string, result: FormattedExecutionResult, generation: number): void {
    if (!this.listening || generation !== this.generation) return;
    const size = JSON.stringify(result).length;
    if (size > this.budgetChars / 4 || this.entries.has(key)) return;
    while (this.size + size > this.budgetChars) {
      const [oldestKey, oldest] = this.entries.entries().next().value!;
      this.entries.delete(oldestKey);
      this.size -= oldest.size;
    }
    this.entries.set(key, { result, size });
    this.size += size;
  }

  /** The Apollo plugin that answers cacheable requests from the cache and fills it. */
  plugin(): ApolloServerPlugin<Context> {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the hooks below are methods with their own `this`
    const cache = this;
    return {
      async requestDidStart() {
        let key: string | undefined;
        let generation = 0;
        return {
          async responseForOperation({ operation, contextValue, queryHash, request }) {
            if (operation.operation !== OperationTypeNode.QUERY || contextValue.viewer !== null || !cache.active) return null;
            generation = cache.currentGeneration;
            key = createHash("sha256")
              .update(`${queryHash}\n${request.operationName ?? ""}\n${JSON.stringify(request.variables ?? {})}`)
              .digest("hex");
            const cached = cache.get(key);
            if (!cached) {
              cache.misses++;
              return null;
            }
            cache.hits++;
            key = undefined; // served from the cache: nothing to store
            const response: GraphQLResponse = { http: { status: undefined, headers: new HeaderMap() }, body: { kind: "single", singleResult: cached } };
            return response;
          },
          async willSendResponse({ response }) {
            if (!key || response.body.kind !== "single" || response.body.singleResult.errors?.length) return;
            cache.set(key, response.body.singleResult, generation);
          },
        };
      },
    };
  }
}
