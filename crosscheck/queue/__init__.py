"""Scale-out: feeds polled politely and work spread over any number of workers on one PostgreSQL.

    feeds.py   polite fetching: robots.txt, per-host rate limit and backoff, conditional GET
    steps.py   the work of each task (fetch feed → fetch page → understand → assign → write),
               written once and handed follow-up work by a dispatcher
    tasks.py   the procrastinate app (PostgreSQL): tasks, locks, the worker and its stalled-job recovery
    inline.py  the same steps in this process, for SQLite (the default): no queue server
    status.py  `crosscheck status`: queue depth, failures with reasons, feed health, throughput

Nothing here imports `cli.py` or `serve/`.
"""
