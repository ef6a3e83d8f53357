# Lifeline worker: functions/worker/container.ts (main plus a liveness beacon) bundled by esbuild into one file, on a small Node 24
# base. Built for linux/arm64 by `cdk deploy` (Graviton Fargate is ~20% cheaper than x86).

FROM node:24-alpine AS build
WORKDIR /src
COPY package.json package-lock.json ./
# Dev dependencies are needed for the bundler only; no install scripts run.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY shared ./shared
COPY functions ./functions
# ws loads bufferutil/utf-8-validate only if present; they are optional native add-ons.
RUN npx esbuild functions/worker/container.ts --bundle --platform=node --target=node24 --format=cjs \
      --minify --sourcemap --external:bufferutil --external:utf-8-validate --outfile=dist/worker.cjs

FROM node:24-alpine
ENV NODE_ENV=production LIFELINE_MODE=aws
WORKDIR /app
COPY --from=build --chown=node:node /src/dist ./
# The task runs with a read-only root filesystem; /tmp (the liveness beacon) is a task volume that
# ECS seeds from this directory, so it belongs to `node`, the user the worker runs as.
RUN chown node:node /tmp
VOLUME ["/tmp"]
USER node
# Fresh beacon (touched every 5 s by a live event loop) or unhealthy; mirrored in the ECS task
# definition, which ignores this instruction.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD test -n "$(find /tmp/lifeline-alive -mmin -1)" || exit 1
# The worker drains on SIGTERM; node runs as PID 1 with its own signal handlers.
CMD ["node", "--enable-source-maps", "worker.cjs"]
