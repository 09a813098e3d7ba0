# syntax=docker/dockerfile:1.7
# The devops-ai host (LangGraph orchestrator, HTTP API, web console on :8787).
# Build from the repository root:
#   docker build -f docker/host.Dockerfile -t ghcr.io/devops-ai/host:0.1.0 .
# Multi-stage: dependencies are installed with build tools (better-sqlite3 is native), pruned to
# production plus the TypeScript loader (tsx), and copied onto a distroless, non-root Node image.

ARG NODE_IMAGE=node:20.19.5-bookworm-slim
ARG RUNTIME_IMAGE=gcr.io/distroless/nodejs20-debian12:nonroot

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY . .
RUN npm ci --no-audit --no-fund

FROM ${NODE_IMAGE} AS prod
WORKDIR /app
COPY --from=deps /app /app
# Production dependencies only, then put back the runtime TypeScript loader the bins use.
RUN npm prune --omit=dev --no-audit --no-fund \
  && rm -rf node_modules/.cache
COPY --from=deps /app/node_modules/tsx /app/node_modules/tsx
COPY --from=deps /app/node_modules/esbuild /app/node_modules/esbuild
COPY --from=deps /app/node_modules/@esbuild /app/node_modules/@esbuild

FROM ${RUNTIME_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production \
  DEVOPS_AI_HOST=0.0.0.0 \
  DEVOPS_AI_PORT=8787 \
  DEVOPS_AI_DATA_DIR=/data
COPY --from=prod --chown=65532:65532 /app /app
USER 65532:65532
EXPOSE 8787
# distroless' entrypoint is node; Kubernetes probes GET /healthz (no shell or curl in the image).
CMD ["host/bin/devops-ai.js"]
