"""POST /api/v1/assistant/ask: one question in, a grounded answer out (public, throttled per address)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from motcua.assistant import services
from motcua.assistant.errors import AssistantError
from motcua.assistant.models import ConversationChannel, Intent
from motcua.core.openapi import ApiErrorSerializer, ApiView, error_response
from motcua.core.parsers import JSONParser
from motcua.core.ratelimit import ScopedThrottle

CONVERSATION_ID = r"^[0-9a-f]{32}$"
CHANNELS = {
    "web": ConversationChannel.WEB,
    "kiosk": ConversationChannel.KIOSK,
    "api": ConversationChannel.API,
}


class TextField(serializers.CharField):
    """A JSON string only (DRF's CharField would take 5 or true as text)."""

    def to_internal_value(self, data: object) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class AskIn(serializers.Serializer):
    message = TextField(max_length=services.MAX_MESSAGE, help_text="Câu hỏi của người dân")
    conversation = serializers.RegexField(
        CONVERSATION_ID,
        required=False,
        allow_null=True,
        help_text="Mã cuộc trò chuyện trả về ở câu trước (để hỏi tiếp, ví dụ 'còn lệ phí thì sao?')",
    )


class ProcedureRef(serializers.Serializer):
    code = serializers.CharField(help_text="Mã thủ tục quốc gia, ví dụ 1.001193")
    name = serializers.CharField()


class AskOut(serializers.Serializer):
    intent = serializers.ChoiceField(choices=Intent.values)
    procedures = ProcedureRef(many=True)
    dossier_code = serializers.CharField(allow_null=True)
    reply = serializers.CharField(help_text="Trả lời ngắn, chỉ từ dữ liệu đã lưu, có ghi nguồn")
    conversation = serializers.CharField()


class AskView(ApiView):
    parser_classes = [JSONParser]  # the contract is JSON (`{"message": ..., "conversation": ...}`)
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedThrottle]
    throttle_scope = "assistant"

    @extend_schema(
        operation_id="assistant_ask",
        auth=[],
        request=AskIn,
        parameters=[
            OpenApiParameter(
                "X-Chat-Channel",
                str,
                OpenApiParameter.HEADER,
                enum=list(CHANNELS),
                description="Kênh của hộp trò chuyện (mặc định api)",
            )
        ],
        responses={
            200: AskOut,
            400: OpenApiResponse(ApiErrorSerializer, description="Câu hỏi trống, lỗi hoặc quá dài"),
            404: OpenApiResponse(ApiErrorSerializer, description="Không có cuộc trò chuyện với mã này"),
        },
        description=(
            "Trợ lý 24/7: trả lời câu hỏi về thủ tục (giấy tờ, lệ phí, thời hạn, nơi nộp, đối tượng, nộp "
            "trực tuyến) từ danh mục thủ tục và mục hướng dẫn, tra cứu hồ sơ theo mã (không có dữ liệu cá "
            "nhân), tiếp nhận phản ánh (trả mã tiếp nhận) hoặc chuyển cán bộ khi không chắc chắn."
        ),
    )
    def post(self, request: Request) -> Response:
        named = request.headers.get("X-Chat-Channel", "api")
        if named not in CHANNELS:  # the contract lists the channels: anything else is a client error
            return error_response(
                "bad_channel",
                _("Kênh trò chuyện không hợp lệ; dùng một trong: %s.") % ", ".join(CHANNELS),
                400,
            )
        data = AskIn(data=request.data)
        data.is_valid(raise_exception=True)
        channel = CHANNELS[named]
        try:
            answer = services.ask(
                data.validated_data["message"],
                conversation=data.validated_data.get("conversation"),
                channel=channel,
            )
        except AssistantError as exc:
            return Response(exc.body(), status=exc.status)
        return Response(
            {
                "intent": answer.understanding.intent,
                "procedures": answer.procedures,
                "dossier_code": answer.understanding.dossier_code,
                "reply": answer.reply.text,
                "conversation": answer.conversation.public_id,
            }
        )
