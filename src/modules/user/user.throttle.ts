import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { rateLimited } from "../../shared/errors";

/**
 * Failed sign-ins counted per key in a fixed window that starts at the first failure. Kept in Redis
 * when REDIS_URL is set (so that every instance sees the same counts), in memory otherwise.
 */
export interface FailureStore {
  /** The failures counted under `key` and the milliseconds left in its window (0 when none). */
  read(key: string): Promise<{ failures: number; retryAfterMs: number }>;
  /** Counts one failure; the first failure opens a window of `windowMs`. */
  add(key: string, windowMs: number): Promise<void>;
  clear(key: string): Promise<void>;
}

/** At most `maxKeys` windows are kept: an attacker inventing emails cannot grow it without bound. */
export class MemoryFailureStore implements FailureStore {
  private readonly windows = new Map<string, { failures: number; endsAt: number }>();

  constructor(private readonly maxKeys = 100_000) {}

  async read(key: string) {
    const window = this.live(key);
    return window ? { failures: window.failures, retryAfterMs: window.endsAt - Date.now() } : { failures: 0, retryAfterMs: 0 };
  }

  async add(key: string, windowMs: number) {
    const window = this.live(key);
    if (window) {
      window.failures += 1;
      return;
    }
    if (this.windows.size >= this.maxKeys) this.evict();
    this.windows.set(key, { failures: 1, endsAt: Date.now() + windowMs });
  }

  async clear(key: string) {
    this.windows.delete(key);
  }

  private live(key: string) {
    const window = this.windows.get(key);
    if (window && window.endsAt <= Date.now()) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }

  /** Drops expired windows, then the oldest ones until a tenth of the room is free. */
  private evict() {
    const now = Date.now();
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
    for (const key of this.windows.keys()) {
      if (this.windows.size < this.maxKeys * 0.9) break;
      this.windows.delete(key);
    }
  }
}

export class RedisFailureStore implements FailureStore {
  constructor(private readonly redis: Redis, private readonly prefix = "claimdesk:sign-in:") {}

  async read(key: string) {
    const [[, failures], [, ttl]] = (await this.redis.multi().get(this.prefix + key).pttl(this.prefix + key).exec()) as [[unknown, string | null], [unknown, number]];
    const count = Number(failures ?? 0);
    return count > 0 && ttl > 0 ? { failures: count, retryAfterMs: ttl } : { failures: 0, retryAfterMs: 0 };
  }

  async add(key: string, windowMs: number) {
    // SET NX opens the window with its expiry; INCR keeps that expiry.
    await this.redis.multi().set(this.prefix + key, 0, "PX", windowMs, "NX").incr(this.prefix + key).exec();
  }

  async clear(key: string) {
    await this.redis.del(this.prefix + key);
  }
}

/**
 * One IP may sign in for many people (a newsroom behind one NAT): it is locked out only after this
 * many times the per-account limit.
 */
export const IP_FAILURE_FACTOR = 4;

/**
 * Temporary lockout after repeated failed sign-ins: per account (`maxFailures` failures within
 * `lockoutMs` lock that email for the rest of the window, whether the email exists or not, so the
 * lockout reveals nothing) and per client IP (`IP_FAILURE_FACTOR` times as many). A success clears
 * the account's count. Refusals are RATE_LIMITED (HTTP 429) and are checked before the password is
 * hashed, so a locked-out attacker costs the server nothing.
 */
export class SignInThrottle {
  constructor(
    private readonly store: FailureStore,
    private readonly maxFailures: number,
    private readonly lockoutMs: number,
  ) {}

  async assertAllowed(email: string, clientIp: string | null): Promise<void> {
    const checks = [this.store.read(accountKey(email)), clientIp ? this.store.read(ipKey(clientIp)) : null];
    const [account, ip] = await Promise.all(checks);
    const waits = [
      account && account.failures >= this.maxFailures ? account.retryAfterMs : 0,
      ip && ip.failures >= this.maxFailures * IP_FAILURE_FACTOR ? ip.retryAfterMs : 0,
    ];
    const wait = Math.max(...waits);
    if (wait > 0) throw rateLimited("Too many failed sign-ins: try again later", wait / 1000);
  }

  async recordFailure(email: string, clientIp: string | null): Promise<void> {
    await Promise.all([
      this.store.add(accountKey(email), this.lockoutMs),
      clientIp ? this.store.add(ipKey(clientIp), this.lockoutMs) : null,
    ]);
  }

  async recordSuccess(email: string): Promise<void> {
    await this.store.clear(accountKey(email));
  }
}

// Emails are hashed so that the store (Redis) holds no personal data.
const accountKey = (email: string) => `account:${createHash("sha256").update(email).digest("hex")}`;
const ipKey = (ip: string) => `ip:${ip}`;
