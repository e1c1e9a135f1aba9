"""Completion: keywords, types for the dialect, settings and their values, names of tables, columns,
enums and partials, and table and column names inside a Query's SQL."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from .features import feature

if TYPE_CHECKING:
    from .server import DbdslServer

TRIGGERS = [".", "~", "[", "(", ",", ":", ">", "<"]
KINDS = {
    "keyword": lsp.CompletionItemKind.Keyword,
    "snippet": lsp.CompletionItemKind.Snippet,
    "type": lsp.CompletionItemKind.TypeParameter,
    "table": lsp.CompletionItemKind.Class,
    "alias": lsp.CompletionItemKind.Reference,
    "schema": lsp.CompletionItemKind.Module,
    "column": lsp.CompletionItemKind.Field,
    "enum": lsp.CompletionItemKind.Enum,
    "enum_value": lsp.CompletionItemKind.EnumMember,
    "partial": lsp.CompletionItemKind.Struct,
    "setting": lsp.CompletionItemKind.Property,
    "value": lsp.CompletionItemKind.Value,
    "operator": lsp.CompletionItemKind.Operator,
}


def _complete(server: DbdslServer, params: lsp.CompletionParams) -> lsp.CompletionList:
    from ..ide.complete import complete  # on first use: start-up time

    engine = server.engine
    uri = params.text_document.uri
    view = engine.view(uri)
    offset = engine.offset(uri, params.position)
    result = complete(view, offset, engine.settings.dialect or None)
    replace = engine.range(view.path, result.start, result.end)
    quoted = view.text.startswith('"', result.start) and result.start < result.end
    items = []
    for item in result.items:
        snippet = item.snippet if server.snippets else None
        text = snippet if snippet is not None else (item.insert if item.insert is not None else item.label)
        items.append(
            lsp.CompletionItem(
                label=item.label,
                kind=KINDS.get(item.kind),
                detail=item.detail,
                sort_text=item.sort,
                filter_text='"' + item.label if quoted else item.label,
                text_edit=lsp.TextEdit(range=replace, new_text=text),
                insert_text_format=(
                    lsp.InsertTextFormat.Snippet if snippet is not None else lsp.InsertTextFormat.PlainText
                ),
            )
        )
    return lsp.CompletionList(is_incomplete=result.incomplete, items=items)


@feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=TRIGGERS))
async def on_completion(ls: DbdslServer, params: lsp.CompletionParams) -> lsp.CompletionList | None:
    return await ls.run(_complete, ls, params)
