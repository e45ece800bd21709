# One image for web, worker and beat (docker-compose.yml).
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 NUMBA_CACHE_DIR=/app/var/numba
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends gettext libpq5 && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml ./
RUN pip install --upgrade pip && mkdir -p ikmportal && pip install .
COPY . .
RUN python -m ikmportal.compile_translations \
    && SECRET_KEY=build-only DEBUG=false python manage.py collectstatic --noinput \
    && python -c "from events.scheduling.annealing import warm_up; warm_up()" \
    && useradd --create-home --uid 1000 ikm && mkdir -p var/media && chown -R ikm var
USER ikm
EXPOSE 8000
CMD ["gunicorn", "ikmportal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
