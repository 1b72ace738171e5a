"""OpenAPI post-processing: every operation documents the error answers the framework can give.

DRF answers 400 (bad input), 401/403 (authentication, permission), 404, 405, 406/415 (content negotiation),
and 429 (throttling) on any endpoint; clients and fuzzers must find them in the contract.
"""

ERROR_SCHEMA = {
    "type": "object",
    "description": "An error: DRF's `detail` (a message, or field -> messages), or motcua's `code` + `message`.",
    "properties": {
        "detail": {"oneOf": [{"type": "string"}, {"type": "object"}, {"type": "array"}]},
        "code": {"type": "string"},
        "message": {"type": "string"},
    },
    "additionalProperties": True,
}
# Answers the framework itself gives (authentication, permissions, negotiation, throttling): their body is
# DRF's, whatever a view declares, so the contract always carries the framework's shape for them.
FRAMEWORK_CODES = {"401", "403", "405", "406", "415", "429"}

STANDARD = {
    "400": "Dữ liệu không hợp lệ (invalid input)",
    "401": "Chưa xác thực (authentication required)",
    "403": "Không có quyền (permission denied)",
    "404": "Không tìm thấy (not found)",
    "405": "Phương thức không được hỗ trợ (method not allowed)",
    "406": "Định dạng không được hỗ trợ (not acceptable)",
    "415": "Kiểu nội dung không được hỗ trợ (unsupported media type)",
    "429": "Quá nhiều yêu cầu (rate limited)",
}


def add_standard_errors(result, generator, request, public):
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["StandardError"] = ERROR_SCHEMA
    for _path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for code, description in STANDARD.items():
                if code == "415" and method in {"get", "delete"}:
                    continue
                answer = {
                    "description": description,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/StandardError"}}
                    },
                }
                if code in FRAMEWORK_CODES:
                    responses[code] = answer
                else:
                    responses.setdefault(code, answer)
    return result
