# The image every app service of docker-compose.yml runs (web, worker, beat).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml ./
COPY . .
RUN pip install --no-cache-dir . && mkdir -p /srv/static /srv/media /srv/var
USER nobody
EXPOSE 8000
