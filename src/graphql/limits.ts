import type { ApolloServerPlugin } from "@apollo/server";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import {
  GraphQLError,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ParseOptions,
  type ValidationContext,
  type ValidationRule,
} from "graphql";
import type { Config } from "../config";
import type { Context } from "../shared/context";
import { ClaimdeskError, ErrorCode } from "../shared/errors";
import { operationCost } from "./cost";
import { storableInputProblem } from "./input";

const REFUSED = { http: { status: 400 } };
/** Requests remembered as allowed (see `allowed` below); the memory is emptied when full. */
const ALLOWED_MEMORY = 2_000;
/** Requests whose variables are longer than this (as JSON) are checked every time, not remembered. */
const ALLOWED_MAX_VARIABLES = 1_000;

function tooComplex(message: string, extensions: Record<string, unknown>): ClaimdeskError {
  return new ClaimdeskError(ErrorCode.QUERY_TOO_COMPLEX, message, { ...extensions, ...REFUSED });
}

/**
 * What one GraphQL document may ask for, decided before it runs: depth, aliases, tokens,
 * directives and cost, so that no single request can take the server down (docs/api-limits.md).
 *
 * - tokens: graphql-js's own `maxTokens` parse option (Armor's token plugin throws from
 *   `parsingDidStart`, which Apollo Server 5 answers with a 500). Refused as GRAPHQL_PARSE_FAILED.
 * - depth, aliases, directives: GraphQL Armor's rules; cost: ./cost.ts (Armor's cost limit does
 *   not multiply by list sizes). They run after graphql-js validation, in `didResolveOperation`,
 *   so that a refusal keeps its own code (QUERY_TOO_COMPLEX, HTTP 400) instead of Apollo's
 *   GRAPHQL_VALIDATION_FAILED, and so that the cost sees the request's variables (`first: $n`).
 * - strings the database cannot store (NUL, lone surrogates): BAD_USER_INPUT, same place.
 */
export function queryLimits(config: Config): {
  validationRules: ValidationRule[];
  plugins: ApolloServerPlugin<Context>[];
  parseOptions: ParseOptions;
  refusal: (schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables?: Record<string, unknown>) => ClaimdeskError | undefined;
} {
  const { maxDepth, maxAliases, maxTokens, maxDirectives, maxCost } = config.queryLimits;
  const onReject = (limit: string, max: number) => [
    (context: ValidationContext | null, error: GraphQLError) => {
      context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ""), { extensions: { limit, max } }));
    },
  ];
  const armor = new ApolloArmor({
    // Production switches (field suggestions) are decided elsewhere; tokens and cost are below.
    blockFieldSuggestion: { enabled: false },
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    maxDepth: { n: maxDepth, ignoreIntrospection: true, flattenFragments: true, propagateOnRejection: false, onReject: onReject("depth", maxDepth) },
    maxAliases: { n: maxAliases, allowList: [], propagateOnRejection: false, onReject: onReject("aliases", maxAliases) },
    maxDirectives: { n: maxDirectives, propagateOnRejection: false, onReject: onReject("directives", maxDirectives) },
  });
  const limitRules = armor.protect().validationRules;

  /** Why this operation is refused (QUERY_TOO_COMPLEX or BAD_USER_INPUT), or undefined. */
  function refusal(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> = {}) {
    const [refused] = validate(schema, document, limitRules);
    if (refused) return tooComplex(refused.message, refused.extensions);
    const cost = operationCost(schema, document, operation, variables);
    if (cost > maxCost) {
      return tooComplex(`Query cost ${cost} exceeds the limit of ${maxCost}: ask for fewer items (first:) or fewer nested lists.`, {
        limit: "cost",
        max: maxCost,
        cost,
      });
    }
    return storableInputProblem(document, variables);
  }

  /**
   * The decision depends only on the document, the operation and the variables (the schema and the
   * limits are fixed): a request already allowed is allowed again without the checks (~0.2-0.4 ms
   * each), which matters most for the repeated anonymous reads the published-read cache answers.
   */
  const allowed = new Set<string>();
  const plugin: ApolloServerPlugin<Context> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request, queryHash }) {
          if (!operation) return; // nothing will run: Apollo answers OPERATION_RESOLUTION_FAILURE
          const variables = JSON.stringify(request.variables ?? {});
          const key = variables.length <= ALLOWED_MAX_VARIABLES ? `${queryHash}\n${request.operationName ?? ""}\n${variables}` : undefined;
          if (key && allowed.has(key)) return;
          const refused = refusal(schema, document, operation, request.variables);
          if (refused) throw refused;
          if (!key) return;
          if (allowed.size >= ALLOWED_MEMORY) allowed.clear();
          allowed.add(key);
        },
      };
    },
  };
  return { validationRules: [], plugins: [plugin], parseOptions: { maxTokens }, refusal };
}
