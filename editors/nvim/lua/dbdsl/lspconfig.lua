-- Registers `dbdsl` with nvim-lspconfig, for setups that manage every server through it:
--
--   require('dbdsl.lspconfig').register()
--   require('lspconfig').dbdsl.setup({ settings = { dbdsl = { dialect = 'postgres' } } })
local M = {}

function M.register(opts)
  local configs = require('lspconfig.configs')
  local util = require('lspconfig.util')
  if configs.dbdsl ~= nil then
    return
  end
  local config = require('dbdsl').client_config(opts)
  -- lspconfig's `commands` are Vim user commands, so the code lens command is registered globally
  local references = require('dbdsl.references')
  vim.lsp.commands[references.command] = references.show
  configs.dbdsl = {
    default_config = {
      cmd = config.cmd,
      filetypes = config.filetypes,
      root_dir = util.root_pattern(unpack(config.root_markers)),
      single_file_support = true,
      init_options = config.init_options,
      settings = config.settings,
    },
    docs = {
      description = 'dbdsl: language server for DBML-compatible database schemas (install it from a clone of the dbdsl repository).',
    },
  }
end

return M
