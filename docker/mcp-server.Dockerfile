# syntax=docker/dockerfile:1.7
# One image per MCP tool server (cost, metrics, k8s, github, forecasting), streamable HTTP on :8080/mcp.
# Build from the repository root, choosing the server:
#   docker build -f docker/mcp-server.Dockerfile --build-arg SERVER=k8s -t ghcr.io/devops-ai/mcp-k8s:0.1.0 .
# Same stages as host.Dockerfile: full install, prune to production + tsx, distroless non-root runtime.

ARG NODE_IMAGE=node:20.19.5-bookworm-slim
ARG RUNTIME_IMAGE=gcr.io/distroless/nodejs20-debian12:nonroot

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund --ignore-scripts

FROM ${NODE_IMAGE} AS prod
ARG SERVER
WORKDIR /app
COPY --from=deps /app /app
RUN test -n "${SERVER}" || { echo "--build-arg SERVER=<cost|metrics|k8s|github|forecasting> is required" >&2; exit 1; } \
  && test -f "mcp-servers/${SERVER}/bin/devops-ai-mcp-${SERVER}.js" \
  && npm prune --omit=dev --no-audit --no-fund \
  && rm -rf node_modules/.cache host/web \
  && ln -s "mcp-servers/${SERVER}/bin/devops-ai-mcp-${SERVER}.js" server.js
COPY --from=deps /app/node_modules/tsx /app/node_modules/tsx
COPY --from=deps /app/node_modules/esbuild /app/node_modules/esbuild
COPY --from=deps /app/node_modules/@esbuild /app/node_modules/@esbuild

FROM ${RUNTIME_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production \
  MCP_TRANSPORT=http \
  MCP_HOST=0.0.0.0 \
  MCP_PORT=8080
COPY --from=prod --chown=65532:65532 /app /app
USER 65532:65532
EXPOSE 8080
CMD ["server.js"]
