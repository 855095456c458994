/**
 * Load generation with autocannon, in this process (no worker threads: 2-core friendly), with our
 * own latency record (autocannon reports p97.5 but not p95) and GraphQL-level error counting
 * (a GraphQL error comes back with HTTP 200).
 */
import { readFileSync } from "node:fs";
import autocannon from "autocannon";
import type { BenchParams, GraphQLRequest } from "./operations";
import { MIXED_WRITE_EVERY, mixedWrite, mutationCycle } from "./operations";

export interface LoadResult {
  requests: number;
  durationSeconds: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  /** Connection errors and timeouts. */
  socketErrors: number;
  non2xx: number;
  /** 2xx responses carrying GraphQL errors. */
  graphqlErrors: number;
  errors: number;
  /** First error body seen (for the log). */
  firstError?: string;
}

export type LoadPlan =
  | { kind: "read"; bodies: string[] }
  | { kind: "mutationMix"; params: BenchParams; cycleOffset: number }
  /**
   * 95% anonymous reads, each taken in turn from one of `reads` (one rotation of bodies per
   * operation), 5% writes (`mixedWrite`) sent with `writeHeaders`.
   */
  | { kind: "mixed"; reads: string[][]; params: BenchParams; writeHeaders: Record<string, string> };

const HAS_ERRORS = '"errors":';

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

interface MutationContext {
  cycle: number;
  claimId: string | null;
  [key: string]: unknown;
}

function mutationRequests(params: BenchParams, cycleOffset: number): autocannon.Request[] {
  let next = cycleOffset;
  const claimIdOf = (body: string): string | null => {
    try {
      return (JSON.parse(body) as { data?: { createClaim?: { id?: string } } }).data?.createClaim?.id ?? null;
    } catch {
      return null;
    }
  };
  return [
    {
      setupRequest: (req, context) => {
        const ctx = context as MutationContext;
        ctx.cycle = next++;
        ctx.claimId = null;
        return { ...req, body: JSON.stringify(mutationCycle(params, ctx.cycle).createClaim()) };
      },
      onResponse: (_status, body, context) => {
        (context as MutationContext).claimId = claimIdOf(body);
      },
    },
    {
      setupRequest: (req, context) => {
        const ctx = context as MutationContext;
        // Without a claim (createClaim failed) the request still goes out and fails visibly.
        return { ...req, body: JSON.stringify(mutationCycle(params, ctx.cycle).attributeClaim(ctx.claimId ?? "00000000-0000-4000-8000-000000000000")) };
      },
    },
    {
      setupRequest: (req, context) => {
        const ctx = context as MutationContext;
        return { ...req, body: JSON.stringify(mutationCycle(params, ctx.cycle).recordVerdict(ctx.claimId ?? "00000000-0000-4000-8000-000000000000")) };
      },
    },
  ] as autocannon.Request[];
}

function mixedRequests(plan: Extract<LoadPlan, { kind: "mixed" }>): autocannon.Request[] {
  let sent = 0;
  let writes = 0;
  const next = plan.reads.map(() => 0);
  let reads = 0;
  return [
    {
      setupRequest: (req) => {
        const n = sent++;
        if (n % MIXED_WRITE_EVERY === MIXED_WRITE_EVERY - 1) {
          return { ...req, headers: { ...req.headers, ...plan.writeHeaders }, body: JSON.stringify(mixedWrite(plan.params, writes++)) };
        }
        const op = reads++ % plan.reads.length;
        const bodies = plan.reads[op]!;
        return { ...req, body: bodies[next[op]!++ % bodies.length] };
      },
    },
  ] as autocannon.Request[];
}

export function requestBodies(requests: GraphQLRequest[]): string[] {
  return requests.map((request) => JSON.stringify(request));
}

/** Runs `durationSeconds` of load against `url` (POST GraphQL) with `connections` connections. */
export async function runLoad(options: {
  url: string;
  plan: LoadPlan;
  connections: number;
  durationSeconds: number;
  headers?: Record<string, string>;
}): Promise<LoadResult> {
  const { plan } = options;
  let i = 0;
  const requests: autocannon.Request[] =
    plan.kind === "read"
      ? [{ setupRequest: (req) => ({ ...req, body: plan.bodies[i++ % plan.bodies.length] }) } as autocannon.Request]
      : plan.kind === "mixed"
        ? mixedRequests(plan)
        : mutationRequests(plan.params, plan.cycleOffset);

  const latencies: number[] = [];
  let graphqlErrors = 0;
  let firstError: string | undefined;
  let finish: (error: Error | null, result: autocannon.Result) => void = () => {};
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = (error, result) => (error ? reject(error) : resolve(result));
  });
  const instance = autocannon(
    {
      url: options.url,
      method: "POST",
      headers: { "content-type": "application/json", ...options.headers },
      connections: options.connections,
      pipelining: 1,
      duration: options.durationSeconds,
      requests,
      timeout: 10,
      verifyBody: (body) => {
        const text = typeof body === "string" ? body : body ? body.toString("utf8") : "";
        if (!text.includes(HAS_ERRORS)) return true;
        graphqlErrors++;
        firstError ??= text.slice(0, 500);
        return false;
      },
    },
    (error, result) => finish(error, result),
  );
  instance.on("response", (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
  });
  const result = await done;
  const sorted = Float64Array.from(latencies).sort();
  const seconds = result.duration || options.durationSeconds;
  const socketErrors = result.errors;
  const non2xx = result.non2xx;
  return {
    requests: latencies.length,
    durationSeconds: seconds,
    requestsPerSecond: latencies.length / seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    socketErrors,
    non2xx,
    graphqlErrors,
    errors: socketErrors + non2xx + graphqlErrors,
    ...(firstError ? { firstError } : {}),
  };
}

/** Samples a process's resident set size (VmRSS) every `everyMs`; `stop()` answers the peak in MB. */
export function sampleRss(pid: number, everyMs = 100): { stop(): number; peak(): number } {
  let peakKb = 0;
  const read = () => {
    try {
      const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      if (match) peakKb = Math.max(peakKb, Number(match[1]));
    } catch {
      // the process is gone
    }
  };
  read();
  const timer = setInterval(read, everyMs);
  return {
    peak: () => peakKb / 1024,
    stop: () => {
      clearInterval(timer);
      read();
      return peakKb / 1024;
    },
  };
}
