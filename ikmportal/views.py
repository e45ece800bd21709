from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import broker_state, database_state


@require_GET
@never_cache
def healthz(request):
    state = {"database": database_state(), "broker": broker_state()}
    healthy = state["database"] == "ok" and state["broker"] in ("ok", "eager")
    return JsonResponse({"status": "ok" if healthy else "unavailable", **state}, status=200 if healthy else 503)


def home(request):
    return render(request, "home.html")
