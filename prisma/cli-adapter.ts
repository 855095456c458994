/**
 * The driver adapter used by the Prisma CLI (migrate, db seed, db execute), never by the server.
 *
 * Prisma 6.19.3's WebAssembly schema engine talks to PostgreSQL through @prisma/adapter-pg, whose
 * 6.19.3 release has bugs on that path; each patch below names the bug it works around.
 */
import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

// prisma/prisma#27403: catalog types returned by introspection ("char", name, oid-like types...)
// cannot be deserialised by the adapter; pg already parses them as strings, so report them as text.
const CATALOG_TYPE_OIDS = new Set([18, 19, 22, 24, 30, 194, 2202, 2203, 2204, 2205, 2206, 3734, 3769, 4089, 4096]);
const TEXT_OID = 25;

let adapterClassesPatched = false;

/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return --
 * patches adapter-pg's private prototypes, which have no types */
function patchAdapterClasses(adapter: object): void {
  if (adapterClassesPatched) return;
  adapterClassesPatched = true;
  const adapterProto = Object.getPrototypeOf(adapter);
  const queryableProto = Object.getPrototypeOf(adapterProto);
  const performIO = queryableProto.performIO;
  queryableProto.performIO = async function (this: unknown, query: unknown) {
    const result = await performIO.call(this, query);
    for (const field of result?.fields ?? []) {
      if (CATALOG_TYPE_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
    }
    return result;
  };
  // executeScript() splits on ";", which breaks $$-quoted function bodies: send the script whole.
  adapterProto.executeScript = async function (this: { client: pg.Pool; onError(e: unknown): never }, script: string) {
    try {
      await this.client.query(script);
    } catch (error) {
      this.onError(error);
    }
  };
}

export class MigrationAdapter extends PrismaPg {
  constructor(private readonly poolConfig: pg.PoolConfig) {
    // allowExitOnIdle: the CLI never ends the pool, so without it every command idles before exiting.
    super({ ...poolConfig, allowExitOnIdle: true });
  }

  override async connect() {
    const adapter = await super.connect();
    patchAdapterClasses(adapter);
    return adapter;
  }

  // The adapter's own version drops the shadow database while its pool still holds connections.
  override async connectToShadowDb() {
    const admin = new pg.Client(this.poolConfig);
    await admin.connect();
    const shadowName = `prisma_migrate_shadow_db_${randomUUID()}`;
    await admin.query(`CREATE DATABASE "${shadowName}"`);
    const shadow = await new MigrationAdapter({ ...this.poolConfig, database: shadowName }).connect();
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await dispose();
      await admin.query(`DROP DATABASE IF EXISTS "${shadowName}" WITH (FORCE)`);
      await admin.end();
    };
    return shadow;
  }
}

/** The wasm schema engine leaves 10 s / 60 s timers armed after it finishes; don't let them hold the CLI. */
export function unrefLongTimers(): void {
  const originalSetTimeout = globalThis.setTimeout;
  globalThis.setTimeout = ((handler: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const timer = originalSetTimeout(handler, ms, ...args);
    if ((ms ?? 0) >= 10_000) timer.unref();
    return timer;
  }) as typeof setTimeout;
}
