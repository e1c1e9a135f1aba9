-- A minimal Neovim configuration that runs the dbdsl language server for .dbml files:
--
--   nvim -u editors/nvim/minimal_init.lua schema.dbml
--
-- DBDSL_SERVER_CMD overrides the server command (words separated by spaces), for example
--   DBDSL_SERVER_CMD="python3 -m dbdsl serve" nvim -u editors/nvim/minimal_init.lua schema.dbml
local here = debug.getinfo(1, 'S').source:sub(2)
local nvim_dir = vim.fn.fnamemodify(here, ':p:h')
vim.opt.runtimepath:prepend(nvim_dir)

local cmd = nil
local from_env = os.getenv('DBDSL_SERVER_CMD')
if from_env ~= nil and from_env:match('%S') then
  cmd = vim.split(vim.trim(from_env), '%s+')
end

require('dbdsl').setup({ cmd = cmd })
