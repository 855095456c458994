import type { ApolloServerOptionsWithGateway, BaseContext } from "@apollo/server";
import {
  defaultFieldResolver,
  execute,
  isObjectType,
  getVariableValues,
  GraphQLError,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import { compileQuery, isCompiledQuery, type CompiledQuery } from "graphql-jit";

/**
 * Compiled documents kept, least recently used evicted first. Each one is a few generated
 * functions (tens of KB at most for the largest operations of test/operations); clients send a
 * handful of distinct documents, so 1,000 is far above the working set and bounds the memory
 * a client sending ever-new documents can pin.
 */
const COMPILED_QUERY_CACHE_SIZE = 1_000;

/** graphql-js `execute`'s own cap on variable coercion errors (buildExecutionContext). */
const MAX_VARIABLE_ERRORS = 50;

type Compiled = CompiledQuery | ExecutionResult;
type GatewayInterface = ApolloServerOptionsWithGateway<BaseContext>["gateway"];
type GatewayExecutor = NonNullable<Awaited<ReturnType<GatewayInterface["load"]>>["executor"]>;

/** A Map used as an LRU: a hit moves the key to the end, the first key is the oldest. */
export class LruCache<V> {
  private readonly entries = new Map<string, V>();
  constructor(private readonly max: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }
}

/**
 * graphql-jit's errors are its own GraphQLError function (read-only `message`, no `nodes`):
 * turned back into graphql-js errors so that plugins may rewrite the message (field suggestions,
 * src/http/graphql-options.ts) and the formatter sees what graphql-js `execute` would give.
 */
function toGraphQLError(error: GraphQLError): GraphQLError {
  const copy = new GraphQLError(error.message, {
    path: error.path,
    originalError: error.originalError ?? undefined,
    extensions: error.extensions,
  });
  // graphql-jit computed the locations from the field nodes it does not keep (graphql-js types them read-only).
  return Object.assign(copy, { locations: error.locations });
}

/** As graphql-js builds it: `{ errors, data }` in that order (the order of the keys in the JSON answer). */
function withGraphQLErrors(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.length) return result;
  return { errors: result.errors.map(toGraphQLError), data: result.data };
}

/**
 * Fields whose parent object holds a function rather than a value: `totalCount` of every
 * connection (src/shared/pagination.ts counts only when the field is selected). graphql-js's
 * default resolver calls such a function; graphql-jit reads a field that has no resolver as a
 * plain property (and cannot await a Promise there), so these fields get graphql-js's default
 * resolver. Any new field whose parent holds a function or a Promise must be added here or given
 * a resolver.
 */
const COMPUTED_FIELDS = new Set(["totalCount"]);

function resolveComputedFields(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    for (const field of Object.values(type.getFields())) {
      if (COMPUTED_FIELDS.has(field.name) && !field.resolve) field.resolve = defaultFieldResolver;
    }
  }
}

/**
 * Runs a validated operation with graphql-jit: each (document, operation) is compiled once to
 * JavaScript functions and cached by Apollo's `queryHash` and the operation name.
 *
 * Variables are coerced by graphql-js first, only to find the errors: graphql-jit reports them
 * with other messages, without the variable's AST node (which Apollo needs to answer
 * BAD_USER_INPUT with HTTP 400) and without graphql-js's cap of 50 errors. When they are valid,
 * graphql-jit coerces them again (its own compiled coercion, same values).
 *
 * Mutations also run compiled: graphql-jit runs mutation root fields one after the other, as the
 * spec and graphql-js do. Subscriptions do not exist in this schema. A document graphql-jit
 * refuses to compile (none of the tested ones) falls back to graphql-js `execute`.
 */
export function jitExecutor(schema: GraphQLSchema, cacheSize = COMPILED_QUERY_CACHE_SIZE) {
  resolveComputedFields(schema);
  const compiled = new LruCache<Compiled | null>(cacheSize);

  function compile(document: DocumentNode, operationName: string | undefined, key: string | undefined): Compiled | null {
    const cached = key === undefined ? undefined : compiled.get(key);
    if (cached !== undefined) return cached;
    let result: Compiled | null;
    try {
      result = compileQuery(schema, document, operationName);
    } catch {
      result = null; // fall back to graphql-js for this document
    }
    if (key !== undefined) compiled.set(key, result);
    return result;
  }

  async function run(args: {
    document: DocumentNode;
    operation: OperationDefinitionNode;
    operationName: string | undefined;
    queryHash: string | undefined;
    contextValue: unknown;
    variables: Record<string, unknown> | undefined;
  }): Promise<ExecutionResult> {
    const { document, operation, operationName, queryHash, contextValue, variables } = args;
    if (operation.variableDefinitions?.length) {
      const coerced = getVariableValues(schema, operation.variableDefinitions, variables ?? {}, { maxErrors: MAX_VARIABLE_ERRORS });
      if (coerced.errors) return { errors: coerced.errors };
    }
    const key = queryHash === undefined ? undefined : `${queryHash}\n${operationName ?? ""}`;
    const query = compile(document, operationName, key);
    if (query === null || !isCompiledQuery(query)) {
      // Not compilable (or a compile-time error such as an unknown operation): graphql-js answers.
      return execute({ schema, document, operationName, contextValue, variableValues: variables });
    }
    return withGraphQLErrors(await query.query(undefined, contextValue, variables));
  }

  return { run, get cachedDocuments() { return compiled.size; } };
}

/**
 * Apollo Server 5 has no `executor` option: its `gateway` option is the supported way to plug one
 * in (the schema is handed over once, at start). Apollo still parses, validates, runs its plugins
 * (limits, APQ, the published-read cache) and formats the errors; only execution is ours.
 */
export function jitGateway(schema: GraphQLSchema, cacheSize = COMPILED_QUERY_CACHE_SIZE): GatewayInterface {
  const executor = jitExecutor(schema, cacheSize);
  const gatewayExecutor: GatewayExecutor = (requestContext) =>
    executor.run({
      document: requestContext.document,
      operation: requestContext.operation,
      operationName: requestContext.request.operationName ?? undefined,
      queryHash: requestContext.queryHash,
      contextValue: requestContext.context,
      variables: requestContext.request.variables,
    });
  return {
    async load() {
      return { schema, executor: gatewayExecutor };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: "" });
      return () => {};
    },
    async stop() {},
  };
}
