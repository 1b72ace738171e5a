"""The Zalo OA webhook: signature first, then the event (a citizen's text gets the assistant's answer)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import escape
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from motcua.assistant import services, zalo
from motcua.assistant.errors import AssistantError
from motcua.core.errors import error_body

MESSAGES = {
    "missing_signature": "Thiếu chữ ký Zalo (X-ZEvent-Signature).",
    "bad_signature": AssistantError("bad_signature").message,
    "stale_event": "Sự kiện Zalo đã quá cũ.",
    "zalo_disabled": "Kênh Zalo chưa được bật.",
}


@csrf_exempt
@require_http_methods(["GET", "POST"])
def webhook(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        # Zalo's URL verification: the page carries the verifier code Zalo issued for this domain.
        code = escape(settings.ASSISTANT_ZALO_VERIFIER)
        return HttpResponse(
            f'<html><head><meta name="zalo-platform-site-verification" content="{code}" /></head>'
            "<body>motcua Zalo OA webhook</body></html>"
        )
    verdict = zalo.verify(request.body, request.headers.get("X-ZEvent-Signature"))
    if not verdict.ok:
        return JsonResponse(error_body(verdict.code, MESSAGES[verdict.code]), status=verdict.status)
    event = verdict.event or {}
    if event.get("event_name") == "user_send_text":
        sender = event.get("sender") or {}
        message = event.get("message") or {}
        user_id = str(sender.get("id", "")) if isinstance(sender, dict) else ""
        text = message.get("text", "") if isinstance(message, dict) else ""
        msg_id = str(message.get("msg_id", "")) if isinstance(message, dict) else ""
        if user_id and isinstance(text, str):
            services.ask_from_zalo(user_id, text, msg_id)
    return JsonResponse({"ok": True})
