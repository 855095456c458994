# claimdesk API. `docker compose up` runs it beside a PostgreSQL 17 (see docker-compose.yml).
FROM node:20-slim

WORKDIR /app

# Dependencies first (cached while package*.json do not change). Dependencies' own install scripts
# are skipped, as npm 11 does by default: none is needed, and @prisma/engines' would try to download
# engine binaries that this project never uses. The project's own postinstall (`prisma generate`,
# WebAssembly engine, no download) runs below, once the schema is in the image.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts

COPY . .
RUN npm run postinstall \
  && mkdir -p /app/.data \
  && chown node:node /app/.data

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000
EXPOSE 4000

# Unprivileged; /app/.data is writable for the embedded PostgreSQL used when DATABASE_URL is unset.
USER node

# What `npm start` runs (`tsx src/main.ts`: applies the migrations, seeds an empty database, serves
# /graphql and /healthz), started directly: under `npm start`, npm and its `sh -c` do not pass
# SIGTERM on, so `docker stop` would end in SIGKILL. Run directly, SIGTERM drains the requests in
# flight and the process exits 0.
CMD ["node_modules/.bin/tsx", "src/main.ts"]
