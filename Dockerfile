# syntax=docker/dockerfile:1
# Sagsforløb server image: web (gunicorn), Celery worker and beat all run from this image.
#
#   docker build -t sagsforloeb .
#   docker compose up -d          # see docker-compose.yml and .env.example
#
# Configuration comes from the environment at run time (DATABASE_URL, REDIS_URL, SECRET_KEY,
# ALLOWED_HOSTS, CPR_KEY, ...; see config/env.py). Nothing secret is baked into the image.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    WEB_CONCURRENCY=3

# WeasyPrint's native libraries and a font for PDF letters; tzdata for Europe/Copenhagen.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core tzdata \
    && rm -rf /var/lib/apt/lists/*

# Runtime dependencies only (pyproject's [project.dependencies]; the dev extra is not installed),
# pinned by the lock file. A layer of its own, so code changes do not reinstall them.
COPY pyproject.toml requirements.lock /tmp/build/
RUN pip install -c /tmp/build/requirements.lock /tmp/build \
    && rm -rf /tmp/build

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --create-home --home-dir /home/app --shell /usr/sbin/nologin app

WORKDIR /app
COPY . .

# Static files (incl. the vendored DKFDS/htmx assets) compressed and hashed by WhiteNoise at build
# time. collectstatic runs no database or production-config checks; the dummy key only satisfies
# settings that expect a value and never reaches a running container.
RUN mkdir -p static \
    && SECRET_KEY=collectstatic-build-only-dummy-key \
       CPR_KEY=collectstatic-build-only-dummy-cpr-key-000000 \
       python manage.py collectstatic --noinput -v0 \
    && python -m compileall -q . \
    && mkdir -p /var/lib/sagsforloeb/beat \
    && chown -R app:app /var/lib/sagsforloeb

# The code stays root-owned and read-only for the service user.
USER app

EXPOSE 8000

# Workers: WEB_CONCURRENCY (gunicorn reads it; default 3 here, roughly 2 x CPU cores + 1).
CMD ["gunicorn", "config.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--timeout", "60", \
     "--graceful-timeout", "30", \
     "--max-requests", "1000", \
     "--max-requests-jitter", "100", \
     "--access-logfile", "-"]
