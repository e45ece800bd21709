"""The API tokens page: list your tokens, create one (its key is shown once), revoke one."""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import ApiTokenForm
from .models import ApiToken
from .services import ApiTokenError, api_token_create, api_token_revoke


def _page(request, form, new_key: str | None = None, status: int = 200):
    tokens = ApiToken.objects.filter(user=request.user).order_by("revoked_at", "-created_at")
    return render(request, "api/token_list.html", {"form": form, "tokens": tokens, "new_key": new_key},
                  status=status)


@login_required
def token_list(request):
    if request.method == "POST":
        return _token_create(request)
    return _page(request, ApiTokenForm())


@reauthentication_required
def _token_create(request):
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        _token, key = api_token_create(user=request.user, name=form.cleaned_data["name"])
    except ApiTokenError as error:
        form.add_error("name", str(error))
        return _page(request, form, status=400)
    # Rendered, not redirected: the key exists only in this response and is never stored.
    response = _page(request, ApiTokenForm(), new_key=key)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    api_token_revoke(token=token, by=request.user)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api_tokens:list")
