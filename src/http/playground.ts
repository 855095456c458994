import { readFileSync } from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";

/**
 * The editors' GraphQL playground at /playground: GraphiQL served from the project's own
 * node_modules (no CDN), so that it works on offline newsroom machines. Sign in with the `signIn`
 * mutation, then put `{"Authorization": "Bearer <token>"}` in the Headers tab.
 */
const ASSETS: Record<string, { file: string; type: string }> = {
  "react.js": { file: "react/umd/react.production.min.js", type: "application/javascript" },
  "react-dom.js": { file: "react-dom/umd/react-dom.production.min.js", type: "application/javascript" },
  "graphiql.js": { file: "graphiql/graphiql.min.js", type: "application/javascript" },
  "graphiql.css": { file: "graphiql/graphiql.min.css", type: "text/css" },
};

const EXAMPLE_QUERY = `# The example story, as a frontend reads it. Staff: sign in first with
#   mutation { signIn(input: { email: "editor@claimdesk.local", password: "local-editor-password" }) { token } }
# (local seed users only) and set the Headers tab to {"Authorization": "Bearer <token>"}.
query Story {
  article(slug: "china-fills-russias-critical-war-gaps-us-says") {
    title
    outlet
    publishedAt
    claims {
      statement
      kind
      quote
      verdict { rating rationale }
      attributions { role anonymity anonymityReason source { name kind } via { source { name } } }
      rebuttals { stance quote source { name } }
    }
  }
}
`;

function page(): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>claimdesk playground</title>
  <link rel="stylesheet" href="/playground/assets/graphiql.css" />
  <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="graphiql">Loading the playground...</div>
  <script src="/playground/assets/react.js"></script>
  <script src="/playground/assets/react-dom.js"></script>
  <script src="/playground/assets/graphiql.js"></script>
  <script>
    const fetcher = GraphiQL.createFetcher({ url: "/graphql" });
    ReactDOM.createRoot(document.getElementById("graphiql")).render(
      React.createElement(GraphiQL, { fetcher, defaultQuery: ${JSON.stringify(EXAMPLE_QUERY)}, isHeadersEditorEnabled: true, shouldPersistHeaders: false })
    );
  </script>
</body>
</html>`;
}

export function registerPlayground(app: FastifyInstance): void {
  const nodeModules = path.join(__dirname, "..", "..", "node_modules");
  const cache = new Map<string, Buffer>();
  app.get("/playground", async (_request, reply) => reply.type("text/html; charset=utf-8").send(page()));
  app.get<{ Params: { name: string } }>("/playground/assets/:name", async (request, reply) => {
    const asset = ASSETS[request.params.name];
    if (!asset) return reply.code(404).send({ error: "not found" });
    let content = cache.get(asset.file);
    if (!content) {
      content = readFileSync(path.join(nodeModules, asset.file));
      cache.set(asset.file, content);
    }
    return reply.type(asset.type).header("cache-control", "public, max-age=86400").send(content);
  });
}
