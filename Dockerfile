# syntax=docker/dockerfile:1
# Multi-stage: build with the dev dependencies and a compiler (better-sqlite3 and bcrypt are
# native), then run with production dependencies only, as a non-root user.

FROM node:20-bookworm-slim AS toolchain
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./

# Production dependencies only, native modules compiled here for the runtime's base image.
FROM toolchain AS deps
RUN npm ci --omit=dev --no-audit --no-fund

FROM toolchain AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
RUN npm run build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
# The SQLite default writes under ./data; with PostgreSQL the directory stays empty.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
# Liveness only: readiness (/api/v1/health) is for the load balancer, which must not restart a
# container because the database blipped.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/v1/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node directly, not npm: SIGTERM from the runtime reaches the app, which drains and exits 0.
# --max-semi-space-size as in `npm run start:prod` (README, Deploying: fewer young-generation GCs).
CMD ["node", "--max-semi-space-size=64", "dist/main.js"]
