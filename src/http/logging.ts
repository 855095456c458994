import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { LogController, type FastifyReply, type FastifyRequest } from "fastify";
import pino, { type DestinationStream, type Logger } from "pino";
import type { ApolloServerPlugin } from "@apollo/server";
import { Kind, type OperationDefinitionNode } from "graphql";
import type { Config } from "../config";
import type { Context } from "../shared/context";

/** The longest string any log line carries for one value (messages, codes, names). */
const MAX_LOGGED_CHARS = 300;
const MAX_STACK_FRAMES = 12;

export type { Logger };

function cap(value: string, max = MAX_LOGGED_CHARS): string {
  return value.length <= max ? value : `${value.slice(0, max)}…[${value.length - max} more chars]`;
}

/**
 * Errors as logged: type, code and a capped message, plus stack frames without the message.
 * Prisma's messages quote the call's arguments and the SQL, and pg's quote the offending value;
 * of those only the last line (the reason) is kept, capped.
 */
export function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: cap(String(error)) };
  const err = error as Error & { code?: unknown; meta?: unknown; clientVersion?: unknown; errorCode?: unknown };
  const isPrisma = err.name.startsWith("PrismaClient") || typeof err.clientVersion === "string";
  let message = err.message;
  if (isPrisma) {
    const lines = message.split("\n").map((line) => line.trim()).filter(Boolean);
    message = lines[lines.length - 1] ?? "";
  }
  const code = typeof err.code === "string" || typeof err.code === "number" ? err.code : typeof err.errorCode === "string" ? err.errorCode : undefined;
  const frames = (err.stack ?? "")
    .split("\n")
    .filter((line) => line.trimStart().startsWith("at "))
    .slice(0, MAX_STACK_FRAMES)
    .map((line) => cap(line.trim(), 200));
  const serialized: Record<string, unknown> = { type: err.name, message: cap(message) };
  if (code !== undefined) serialized.code = typeof code === "string" ? cap(code, 64) : code;
  if (frames.length) serialized.stack = frames;
  if (err.cause !== undefined && err.cause !== error) serialized.cause = serializeError(err.cause);
  return serialized;
}

/** Every top-level value of a log line, capped: strings cut, objects cut after their JSON form. */
function capValues(object: Record<string, unknown>): Record<string, unknown> {
  const capped: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    if (typeof value === "string") capped[key] = cap(value);
    else if (value && typeof value === "object" && !Array.isArray(value) && key !== "err") {
      const json = safeJson(value);
      capped[key] = json.length > 4 * MAX_LOGGED_CHARS ? cap(json, 4 * MAX_LOGGED_CHARS) : value;
    } else capped[key] = value;
  }
  return capped;
}

function safeJson(value: unknown): string {
  try {
    // undefined for undefined and functions, whatever its type says.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
    return JSON.stringify(value) ?? "";
  } catch {
    return "[unserialisable]";
  }
}

/** The one root logger of the process: JSON lines on stdout (or `destination`), values capped. */
export function createLogger(config: Pick<Config, "logLevel">, destination?: DestinationStream): Logger {
  return pino(
    {
      level: config.logLevel,
      base: { pid: process.pid, service: "claimdesk" },
      serializers: { err: serializeError, error: serializeError },
      formatters: { log: capValues },
      // Messages too (some quote an error): cap every string argument of a log call.
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((arg) => (typeof arg === "string" ? cap(arg, 2 * MAX_LOGGED_CHARS) : arg)) as Parameters<typeof method>);
        },
      },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Fastify `genReqId`: the caller's x-request-id when it is a sane token, else a fresh UUID. */
export function requestIdFor(request: IncomingMessage): string {
  const header = request.headers["x-request-id"];
  const value = Array.isArray(header) ? header[0] : header;
  return value && REQUEST_ID.test(value) ? value : randomUUID();
}

/** What the GraphQL layer learns about a request, for its log line and metrics. */
export interface RequestFacts {
  operationName?: string;
  viewerId?: string;
  viewerRole?: string;
  /** "ok", or the first error's extensions.code. */
  outcome?: string;
}

const FACTS = Symbol("claimdesk.requestFacts");

export function requestFacts(request: FastifyRequest): RequestFacts {
  const holder = request as unknown as { [FACTS]?: RequestFacts };
  holder[FACTS] ??= {};
  return holder[FACTS];
}

/** One line per request (instead of Fastify's two), carrying what the GraphQL layer learnt. */
export class RequestLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const facts = requestFacts(request);
    const line = {
      method: request.method,
      url: cap(request.url.split("?")[0] ?? "", 200),
      statusCode: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
      operationName: facts.operationName,
      viewerId: facts.viewerId,
      viewerRole: facts.viewerRole,
      outcome: facts.outcome,
    };
    if (error) reply.log.error({ ...line, err: error }, "request errored");
    else reply.log.info(line, "request completed");
  }
}

// A symbol property rather than a WeakMap: Apollo hands plugins a shallow copy of the context.
const CONTEXT_FACTS = Symbol("claimdesk.contextFacts");

/** Ties a GraphQL context to its HTTP request's facts, and records who is asking. */
export function linkRequestFacts(request: FastifyRequest, context: { viewer: { id: string; role: string } | null }): void {
  const facts = requestFacts(request);
  facts.viewerId = context.viewer?.id;
  facts.viewerRole = context.viewer?.role;
  (context as { [CONTEXT_FACTS]?: RequestFacts })[CONTEXT_FACTS] = facts;
}

const OUTCOME = /^[A-Z][A-Z0-9_]{0,47}$/;

/** Apollo plugin: the operation's name and outcome (ok, or the first error's code) for the request line. */
export function requestFactsPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue, request }) {
      const facts = (contextValue as { [CONTEXT_FACTS]?: RequestFacts })[CONTEXT_FACTS];
      if (!facts) return;
      if (request.operationName) facts.operationName = cap(request.operationName, 100);
      return {
        async didResolveOperation({ operationName }) {
          if (operationName) facts.operationName = cap(operationName, 100);
        },
        async willSendResponse({ response, document }) {
          // Validation failures never resolve an operation: take the document's only named one.
          if (!facts.operationName && document) {
            const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
            const name = operations.length === 1 ? operations[0]?.name?.value : undefined;
            if (name) facts.operationName = cap(name, 100);
          }
          if (response.body.kind !== "single") return;
          const code = response.body.singleResult.errors?.[0]?.extensions?.code;
          facts.outcome = !response.body.singleResult.errors?.length ? "ok" : typeof code === "string" && OUTCOME.test(code) ? code : "ERROR";
        },
      };
    },
  };
}
