"""Code actions: the fixes of each finding, "fix all of this kind", "suppress CODE here", fix all
(`source.fixAll.dbdsl`), and the export source actions (see `commands`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from . import commands
from .diagnostics import to_diagnostic
from .edits import workspace_edit
from .features import feature

if TYPE_CHECKING:
    from ..ide.actions import Action
    from .engine import Engine
    from .server import DbdslServer

FIX_ALL = "source.fixAll.dbdsl"
KINDS = [lsp.CodeActionKind.QuickFix, lsp.CodeActionKind.SourceFixAll, FIX_ALL, *commands.SOURCE_KINDS]


def _wanted(kind: str, only: list[str] | None) -> bool:
    return not only or any(kind == k or kind.startswith(k + ".") for k in only)


def _action(engine: Engine, action: Action, kind: str, shown: list[lsp.Diagnostic]) -> lsp.CodeAction:
    diagnostics = []
    for f in action.findings:
        ours = to_diagnostic(engine, f)
        match = next((d for d in shown if d.code == ours.code and d.range == ours.range), None)
        diagnostics.append(match or ours)
    return lsp.CodeAction(
        title=action.title,
        kind=kind,
        diagnostics=diagnostics or None,
        edit=workspace_edit(engine, action.edits),
        is_preferred=action.preferred or None,
    )


def _code_actions(server: DbdslServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    from ..ide.actions import actions_for, fix_all  # on first use: start-up time

    engine = server.engine
    uri = params.text_document.uri
    view = engine.view(uri)
    only = [str(k) for k in params.context.only] if params.context.only else None
    start, end = engine.offset(uri, params.range.start), engine.offset(uri, params.range.end)
    findings = engine.findings(uri)
    shown = list(params.context.diagnostics or [])
    out: list[lsp.CodeAction] = []
    if _wanted(lsp.CodeActionKind.QuickFix, only):
        out.extend(
            _action(engine, a, lsp.CodeActionKind.QuickFix, shown) for a in actions_for(view.text, findings, start, end)
        )
    everything = fix_all(findings)
    if everything is not None and _wanted(FIX_ALL, only):
        out.append(_action(engine, everything, FIX_ALL, []))
    out.extend(a for a in commands.source_actions(server, uri) if _wanted(str(a.kind), only))
    return out


@feature(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(code_action_kinds=KINDS))
async def code_actions(ls: DbdslServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction] | None:
    return await ls.run(_code_actions, ls, params)
