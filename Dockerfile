# Production image: Postgres comes from DATABASE_URL (see docker-compose.yml).
# Stage 1 installs everything and builds shared, server and web; stage 2 keeps production dependencies
# and the compiled output only.
FROM node:20-bookworm-slim AS build
RUN npm i -g pnpm@12.4.2
WORKDIR /app
# Manifests first, so the dependency layer is reused until they change.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY web/package.json web/
RUN pnpm install --frozen-lockfile
COPY . .
RUN pnpm -r build

FROM node:20-bookworm-slim AS runtime
RUN npm i -g pnpm@12.4.2
WORKDIR /app
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY web/package.json web/
RUN pnpm install --frozen-lockfile --prod && npm rm -g pnpm && rm -rf /root/.cache /root/.local/share/pnpm
COPY --from=build /app/shared/dist shared/dist
COPY --from=build /app/server/dist server/dist
COPY --from=build /app/web/dist web/dist
# Only used when DATABASE_URL is unset (embedded database) or BYOK_ENCRYPTION_KEY is missing outside production.
RUN mkdir -p /data && chown node:node /data
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000 BYOK_DATA_DIR=/data
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:4000/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "server/dist/main.js"]
