"""A stand-in language server for the Neovim client test: it speaks just enough LSP over stdio,
records every message it receives (one JSON object per line in $FAKE_LSP_LOG), implements
dbdsl.server.exportSql the way the real server does (workspace/applyEdit creating a file, then
{"uri": ...}) and sends a code lens whose command is dbdsl.showReferences with two locations, one in
schema.dbml and one in posts.dbml (the files run.sh writes)."""

import json
import os
import sys
from urllib.parse import unquote, urlparse

LOG = os.environ["FAKE_LSP_LOG"]


def read_message():
    length = None
    while True:
        line = sys.stdin.buffer.readline()
        if not line:
            return None
        if line in (b"\r\n", b"\n"):
            break
        name, _, value = line.decode("ascii").partition(":")
        if name.lower() == "content-length":
            length = int(value.strip())
    return json.loads(sys.stdin.buffer.read(length))


def send(message):
    body = json.dumps(message).encode("utf-8")
    sys.stdout.buffer.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    sys.stdout.buffer.flush()


def record(message):
    with open(LOG, "a", encoding="utf-8") as log:
        log.write(json.dumps(message) + "\n")


def export_sql(request):
    (argument,) = request["params"]["arguments"]
    source = unquote(urlparse(argument["uri"]).path)
    target = "file://" + os.path.splitext(source)[0] + "." + argument["dialect"] + ".sql"
    edit = {
        "documentChanges": [
            {"kind": "create", "uri": target, "options": {"overwrite": True}},
            {
                "textDocument": {"uri": target, "version": None},
                "edits": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                           "newText": "CREATE TABLE users (id integer PRIMARY KEY);\n"}],
            },
        ]
    }
    send({"jsonrpc": "2.0", "id": "apply-1", "method": "workspace/applyEdit", "params": {"label": "Export SQL", "edit": edit}})
    while True:
        reply = read_message()
        record(reply)
        if reply.get("id") == "apply-1" and "method" not in reply:
            break
    return {"uri": target}


def code_lenses(request):
    uri = request["params"]["textDocument"]["uri"]
    posts = uri.rsplit("/", 1)[0] + "/posts.dbml"

    def location(target, line, start, end):
        return {"uri": target, "range": {"start": {"line": line, "character": start}, "end": {"line": line, "character": end}}}

    arguments = [uri, {"line": 0, "character": 6}, [location(uri, 1, 2, 4), location(posts, 1, 25, 30)]]
    return [
        {
            "range": {"start": {"line": 0, "character": 6}, "end": {"line": 0, "character": 11}},
            "command": {"title": "2 references", "command": "dbdsl.showReferences", "arguments": arguments},
        }
    ]


def main():
    while True:
        message = read_message()
        if message is None:
            return
        record(message)
        method = message.get("method")
        if method == "initialize":
            result = {
                "capabilities": {
                    "textDocumentSync": 1,
                    "executeCommandProvider": {"commands": ["dbdsl.server.exportSql"]},
                    "codeLensProvider": {"resolveProvider": False},
                },
                "serverInfo": {"name": "fake-dbdsl"},
            }
            send({"jsonrpc": "2.0", "id": message["id"], "result": result})
        elif method == "workspace/executeCommand" and message["params"]["command"] == "dbdsl.server.exportSql":
            send({"jsonrpc": "2.0", "id": message["id"], "result": export_sql(message)})
        elif method == "textDocument/codeLens":
            send({"jsonrpc": "2.0", "id": message["id"], "result": code_lenses(message)})
        elif method == "shutdown":
            send({"jsonrpc": "2.0", "id": message["id"], "result": None})
        elif method == "exit":
            return
        elif "id" in message and method is not None:
            send({"jsonrpc": "2.0", "id": message["id"], "error": {"code": -32601, "message": f"{method} not implemented"}})


if __name__ == "__main__":
    main()
