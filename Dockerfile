# claimdesk API image: compiled JavaScript on Node 22 LTS, production dependencies only, non-root.
# `docker compose up --build` runs it beside PostgreSQL 17 (see docker-compose.yml and
# docs/operations.md "Running in production").
ARG NODE_IMAGE=node:22-slim

# --- build: every dependency (TypeScript, the embedded-postgres types), Prisma client, tsc -------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Dependencies' install scripts are skipped: none is needed, and @prisma/engines' would download
# engine binaries this project never uses (WebAssembly engines). `prisma generate` runs below.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json prisma.config.ts ./
COPY prisma ./prisma
COPY schema ./schema
COPY scripts ./scripts
COPY src ./src
RUN npx prisma generate && npm run build

# --- runtime ------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000
WORKDIR /app
# No dev dependencies, and not the optional embedded PostgreSQL (60 MB of binaries): in the image
# DATABASE_URL is required.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --ignore-scripts && npm cache clean --force
# The compiled server (dist/src), its SDL (dist/schema) and the seed/admin scripts (dist/prisma, dist/scripts).
COPY --from=build /app/dist ./dist
# What `prisma migrate deploy` reads, for the release step (`npm run db:migrate`) and for
# MIGRATE_ON_START: its config (loaded by the Prisma CLI itself), the two modules that config
# imports, the schema and the committed migrations. Nothing else of the sources, no tests, no bench.
COPY prisma.config.ts ./
COPY prisma/schema.prisma prisma/cli-adapter.ts ./prisma/
COPY prisma/migrations ./prisma/migrations
COPY src/db/connection.ts src/db/ensure-database.ts ./src/db/

USER node
EXPOSE 4000
# Liveness only (the process answers HTTP): a database outage must not get the container restarted.
# Orchestrators route traffic on /readyz instead (see docs/operations.md).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself as the command (no npm, no shell): SIGTERM reaches the server, which stops being
# ready, drains the requests in flight and exits 0.
# --heap-growing-percent=25: V8 collects the old generation when it has grown 25% past what the
# last collection kept, instead of letting it grow up to 4x under load (docs/decisions/0005).
CMD ["node", "--heap-growing-percent=25", "dist/src/main.js"]
