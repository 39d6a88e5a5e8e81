import uuid

from . import context


class RequestContextMiddleware:
    """Binds a request id and the URL path (never the query string) for the audit log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request.headers.get("X-Request-ID", "")[:36] or str(uuid.uuid4())
        with context.bound(
            context.RequestContext(request_id=request_id, kilde=f"{request.method} {request.path}"[:200])
        ):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response
