# The rosetta image, for `rosetta reconcile` (examples/deploy/) or any command in CI.
#   docker build -t rosetta:0.1.0 .
# Two stages: the first compiles; the second holds only what runs (production dependencies, the
# compiled code, the schemas, git for git sources) and runs as the unprivileged `node` user.
# Nothing is installed when a container starts.

FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json ./
COPY scripts ./scripts
COPY schemas ./schemas
COPY bin ./bin
COPY src ./src
RUN npm run build

FROM node:20-bookworm-slim
RUN apt-get update \
  && apt-get install -y --no-install-recommends git openssh-client ca-certificates \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /src/dist ./dist
COPY bin ./bin
COPY schemas ./schemas
ENV NODE_ENV=production
USER node
WORKDIR /home/node
ENTRYPOINT ["node", "/app/bin/rosetta.js"]
CMD ["--help"]
