#!/usr/bin/env bash
# Checks the Neovim setup against a stand-in server (fake_server.py): filetype detection, root directory,
# initializationOptions and didChangeConfiguration, a code lens that fills the quickfix list, and
# :DbdslExportSql. Twice: through minimal_init.lua
# with DBDSL_SERVER_CMD, and through setup() with settings. Needs `nvim` (0.7 or newer) and `python3`.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
nvim_dir="$(dirname "$here")"
project="$(mktemp -d)"
trap 'rm -rf "$project"' EXIT

mkdir -p "$project/.git" "$project/db"
printf 'Table users {\n  id integer [pk]\n}\n' >"$project/db/schema.dbml"
printf 'Table posts {\n  user_id integer [ref: > users.id]\n}\n' >"$project/db/posts.dbml"
cat >"$project/settings.lua" <<'LUA'
vim.opt.runtimepath:prepend(os.getenv('NVIM_DIR'))
require('dbdsl').setup({
  cmd = vim.split(os.getenv('DBDSL_SERVER_CMD'), ' '),
  settings = { dialect = 'sqlite', lint = { ignore = { 'S' } } },
})
LUA

export PROJECT_DIR="$project" NVIM_DIR="$nvim_dir"
export DBDSL_SERVER_CMD="python3 $here/fake_server.py"
cd "$project/db"

echo '-- minimal_init.lua with DBDSL_SERVER_CMD'
rm -f "$project"/db/*.sql
FAKE_LSP_LOG="$project/minimal.jsonl" EXPECT_DIALECT='' \
  nvim --headless -u "$nvim_dir/minimal_init.lua" schema.dbml -c "luafile $here/client_test.lua"

echo '-- setup() with settings'
rm -f "$project"/db/*.sql
FAKE_LSP_LOG="$project/settings.jsonl" EXPECT_DIALECT='sqlite' EXPECT_IGNORE='S' \
  nvim --headless -u "$project/settings.lua" schema.dbml -c "luafile $here/client_test.lua"

echo '-- lspconfig registration and lsp/dbdsl.lua'
nvim --headless -u NONE --cmd "set runtimepath^=$nvim_dir" -c "luafile $here/config_test.lua"
