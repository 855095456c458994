import type { CodegenConfig } from "@graphql-codegen/cli";

// The typed client's types, from the printed schema.graphql and the operations in index.ts (the
// client preset's `graphql()` calls). Run from the repository root: `npm run codegen` runs it after
// reprinting schema.graphql; `npm test` (codegen:check) fails when gql/ is stale.
const config: CodegenConfig = {
  schema: "schema.graphql",
  documents: ["examples/typed-client/index.ts"],
  generates: {
    "examples/typed-client/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        // What the server sends: DateTime and PartialDate as ISO strings, UUID as a string, JSON as any JSON value.
        scalars: { DateTime: "string", PartialDate: "string", UUID: "string", JSON: "unknown" },
      },
    },
  },
};

export default config;
