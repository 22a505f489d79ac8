"""Middleware for `make bench` only (scripts/bench.py puts this folder on the servers' path).

It counts the SQL queries of each request and returns the count in an ``X-Bench-Queries``
header. Placed first in MIDDLEWARE, so the session, the user and everything the other
middleware do are counted too. A request that carries ``X-Bench-Check`` also gets
``X-Bench-User``: the signed-in user's id, or ``anonymous``; scripts/bench.py sends it once per
page to make sure each visitor is who it should be."""

from django.db import connection


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counted(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            response = self.get_response(request)
        response["X-Bench-Queries"] = str(count)
        if "X-Bench-Check" in request.headers:
            user = request.user
            response["X-Bench-User"] = str(user.pk) if user.is_authenticated else "anonymous"
        return response
