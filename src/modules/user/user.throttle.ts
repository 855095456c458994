import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { rateLimited } from "../../shared/errors";

/**
 * Sign-in attempts counted per key in a fixed window that starts at the first attempt. Kept in Redis
 * when REDIS_URL is set (so that every instance sees the same counts), in memory otherwise.
 */
export interface AttemptStore {
  /** Counts one attempt (atomically) and answers the count so far and the milliseconds left in the window. */
  hit(key: string, windowMs: number): Promise<{ count: number; retryAfterMs: number }>;
  /** Takes one attempt back (when it succeeded), if the window is still open. */
  release(key: string): Promise<void>;
  clear(key: string): Promise<void>;
}

/** At most `maxKeys` windows are kept: an attacker inventing emails cannot grow it without bound. */
export class MemoryAttemptStore implements AttemptStore {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();

  constructor(private readonly maxKeys = 100_000) {}

  async hit(key: string, windowMs: number) {
    let window = this.live(key);
    if (!window) {
      if (this.windows.size >= this.maxKeys) this.evict();
      window = { count: 0, endsAt: Date.now() + windowMs };
      this.windows.set(key, window);
    }
    window.count += 1;
    return { count: window.count, retryAfterMs: window.endsAt - Date.now() };
  }

  async release(key: string) {
    const window = this.live(key);
    if (window && window.count > 0) window.count -= 1;
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

// DECR on a key that expired meanwhile would create a counter without expiry: only while it exists.
const RELEASE = "if redis.call('EXISTS', KEYS[1]) == 1 and tonumber(redis.call('GET', KEYS[1])) > 0 then redis.call('DECR', KEYS[1]) end return 0";

export class RedisAttemptStore implements AttemptStore {
  constructor(private readonly redis: Redis, private readonly prefix = "claimdesk:sign-in:") {}

  async hit(key: string, windowMs: number) {
    const k = this.prefix + key;
    // SET NX opens the window with its expiry; INCR keeps that expiry.
    const results = await this.redis.multi().set(k, 0, "PX", windowMs, "NX").incr(k).pttl(k).exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw failed?.[0] ?? new Error("Redis transaction aborted");
    const count = Number(results[1]![1]);
    const ttl = Number(results[2]![1]);
    return { count, retryAfterMs: ttl > 0 ? ttl : windowMs };
  }

  async release(key: string) {
    await this.redis.eval(RELEASE, 1, this.prefix + key);
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
 * Temporary lockout after repeated failed sign-ins: per account (after `maxFailures` failures within
 * `lockoutMs`, the email is locked for the rest of that window, whether it exists or not, so the
 * lockout reveals nothing) and per client IP (`IP_FAILURE_FACTOR` times as many). Every attempt is
 * counted before the password is checked, atomically, so that parallel guesses cannot slip past the
 * limit; a refused attempt is taken back, and a success takes its attempt back (and clears the
 * account's count). Refusals are
 * RATE_LIMITED (HTTP 429) and cost the server no password hash.
 */
export class SignInThrottle {
  constructor(
    private readonly store: AttemptStore,
    private readonly maxFailures: number,
    private readonly lockoutMs: number,
  ) {}

  /** Counts an attempt; throws RATE_LIMITED when the account or the IP is over its limit. */
  async attempt(email: string, clientIp: string | null): Promise<void> {
    const [account, ip] = await Promise.all([
      this.store.hit(accountKey(email), this.lockoutMs),
      clientIp ? this.store.hit(ipKey(clientIp), this.lockoutMs) : null,
    ]);
    const waits = [
      account.count > this.maxFailures ? account.retryAfterMs : 0,
      ip && ip.count > this.maxFailures * IP_FAILURE_FACTOR ? ip.retryAfterMs : 0,
    ];
    const wait = Math.max(...waits);
    if (wait > 0) {
      // A refused attempt checked no password: it does not count (refusal by IP must not lock the account).
      await this.release(email, clientIp);
      throw rateLimited("Too many failed sign-ins: try again later", wait / 1000);
    }
  }

  private async release(email: string, clientIp: string | null) {
    await Promise.all([this.store.release(accountKey(email)), clientIp ? this.store.release(ipKey(clientIp)) : null]);
  }

  async succeeded(email: string, clientIp: string | null): Promise<void> {
    await Promise.all([this.store.clear(accountKey(email)), clientIp ? this.store.release(ipKey(clientIp)) : null]);
  }
}

// Emails are hashed so that the store (Redis) holds no personal data.
const accountKey = (email: string) => `account:${createHash("sha256").update(email).digest("hex")}`;
const ipKey = (ip: string) => `ip:${ip}`;
