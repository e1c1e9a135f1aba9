"""Hover: Markdown about the table, column, relationship, enum, partial, group or query under the cursor."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from .features import feature

if TYPE_CHECKING:
    from .server import DbdslServer


def _hover(server: DbdslServer, params: lsp.HoverParams) -> lsp.Hover | None:
    from ..ide.hover import hover  # on first use: start-up time

    engine = server.engine
    uri = params.text_document.uri
    view = engine.view(uri)
    offset = engine.offset(uri, params.position)
    images = server.hover_images_supported and engine.settings.hover_images and shutil.which("dot") is not None
    found = hover(view, offset, engine.findings(uri), images=images)
    if found is None:
        return None
    return lsp.Hover(
        contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=found.markdown),
        range=engine.range(view.path, found.start, found.end),
    )


@feature(lsp.TEXT_DOCUMENT_HOVER)
async def on_hover(ls: DbdslServer, params: lsp.HoverParams) -> lsp.Hover | None:
    return await ls.run(_hover, ls, params)
