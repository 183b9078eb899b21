"""Browsable API documentation rendered on the server from the OpenAPI document.

The usual Swagger/ReDoc pages load their code from a CDN and run inline script, which
our Content-Security-Policy forbids and offline instances cannot reach. This page lists
every operation, its parameters and its response fields from ``app.openapi()``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from kiosque.web.deps import get_settings
from kiosque.web.render import render

router = APIRouter()


def _type_name(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(_type_name(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list[{_type_name(schema.get('items', {}))}]"
    kind = str(schema.get("type", "object"))
    return f"{kind} ({schema['format']})" if "format" in schema else kind


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """A flat, template-friendly view of the OpenAPI paths."""
    out = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = [
                {"name": p["name"], "in": p["in"], "required": p.get("required", False),
                 "type": _type_name(p.get("schema", {})),
                 "description": p.get("description", p.get("schema", {}).get("description",
                                                                              ""))}
                for p in op.get("parameters", [])
            ]
            ok = op.get("responses", {}).get("200", {})
            schema = ok.get("content", {}).get("application/json", {}).get("schema", {})
            out.append({"method": method.upper(), "path": path,
                        "summary": op.get("summary", ""), "params": params,
                        "returns": _type_name(schema) if schema else ""})
    return out


def models(spec: dict[str, Any]) -> list[dict[str, Any]]:
    result = []
    for name, schema in sorted(spec.get("components", {}).get("schemas", {}).items()):
        if name in ("HTTPValidationError", "ValidationError"):
            continue
        fields = [
            {"name": f, "type": _type_name(s), "description": s.get("description", "")}
            for f, s in schema.get("properties", {}).items()
        ]
        result.append({"name": name, "fields": fields})
    return result


@router.get("/api/docs", response_class=HTMLResponse, include_in_schema=False)
def api_docs(request: Request) -> HTMLResponse:
    spec = request.app.openapi()
    lang = get_settings(request).default_lang
    return render(request, "api_docs.html", lang, spec=spec, operations=operations(spec),
                  models=models(spec))
