"""The about page: what this site is, where its articles come from, how to reach it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import Connection

from kiosque.store import read
from kiosque.web.deps import get_conn, ui_lang
from kiosque.web.pages.flash import render_page

router = APIRouter()


@router.get("/{lang:uilang}/about", response_class=HTMLResponse, include_in_schema=False)
def about_page(
    request: Request,
    lang: Annotated[str, Depends(ui_lang)],
    conn: Annotated[Connection, Depends(get_conn)],
) -> HTMLResponse:
    return render_page(request, "about.html", lang,
                       source_count=len(read.list_sources(conn)))
