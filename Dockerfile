# MediaNest in one image: the browser app built with the Node pinned in uv.lock, Python
# dependencies exactly as uv.lock says, a non-root user, a data volume and a health check.
#   docker build -t medianest .
#   docker run -d -p 127.0.0.1:8000:8000 -v medianest-data:/data medianest
# Not built in this project's CI (no container engine there); hadolint lints it.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV UV_PYTHON_DOWNLOADS=never \
    UV_LINK_MODE=copy \
    UV_COMPILE_BYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
# The same path as at run time: a virtualenv's scripts name their interpreter by path.
WORKDIR /opt/medianest
RUN pip install --no-cache-dir uv==0.13.8
COPY pyproject.toml uv.lock README.md LICENSE ./
COPY scripts ./scripts
COPY frontend ./frontend
COPY src ./src
# The browser app into src/medianest/web/dist (Node from the `web` group of uv.lock).
RUN uv sync --frozen --no-default-groups --group web \
    && scripts/web build
# The runtime environment: MediaNest (with the app's build) and its locked dependencies only.
RUN uv sync --frozen --no-default-groups --no-editable \
    && rm -rf frontend/node_modules

FROM ${PYTHON_IMAGE}
# ffmpeg for downloads that merge or convert; the PostgreSQL client for backups of PostgreSQL.
# Unpinned on purpose: Debian stable only ships security and bug fixes for them.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ffmpeg postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /data medianest \
    && install -d -o medianest -g medianest -m 0700 /data
COPY --from=build /opt/medianest/.venv /opt/medianest/.venv
COPY --chmod=0755 deploy/docker-entrypoint.sh /usr/local/bin/medianest-entrypoint
ENV PATH=/opt/medianest/.venv/bin:$PATH \
    MEDIANEST_DATA_DIR=/data \
    HOST=0.0.0.0 \
    PORT=8000 \
    PYTHONUNBUFFERED=1
USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4)"]
# `medianest "$@"`, after waiting for PostgreSQL and Redis when MEDIANEST_WAIT_SECONDS is set.
ENTRYPOINT ["medianest-entrypoint"]
CMD ["serve"]
