"""Gunicorn settings for one web container on a 2-core machine (docker-compose's web service
and `make bench` both start gunicorn with this file).

Two processes, four threads each (`gthread`): a request spends a good part of its time waiting
for PostgreSQL and Redis, which threads overlap, while a third process would add ~100 MB of
resident memory and compete for the same two cores. WEB_CONCURRENCY and GUNICORN_THREADS
override the counts (a bigger machine: about one process per core, 4 threads each).
"""

import os

wsgi_app = "sharing_city.wsgi:application"
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A slow page is cut after 30 s instead of holding its thread; the reports cache their figures.
timeout = 30
graceful_timeout = 20
keepalive = 5  # phones reuse the connection for the page's stylesheet and script
# Recycle processes now and then so one that grew (a large export) gives its memory back.
max_requests = 2000
max_requests_jitter = 200
