"""`/v1/models`: the models this deployment serves."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from ...models import REGISTRY
from ...ports import Principal
from ..deps import principal, services

router = APIRouter(prefix="/v1/models", tags=["models"])


@router.get("")
def list_models(who: Principal = Depends(principal), svc=Depends(services)):
    data = []
    for name in svc.transcripts.models:
        spec = REGISTRY.get(name)
        data.append({
            "id": name,
            "object": "model",
            "backend": spec.backend if spec else None,
            "languages": sorted(spec.languages) if spec and spec.languages else None,
            "description": spec.description if spec else None,
            "default": name == svc.transcripts.default_model,
        })
    return {"object": "list", "data": data}
