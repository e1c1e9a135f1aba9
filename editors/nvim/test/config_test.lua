-- The nvim-lspconfig registration (against stand-ins for lspconfig.configs and lspconfig.util, which
-- are not installed here) and the Neovim 0.11 `lsp/dbdsl.lua` configuration.
-- Run: nvim --headless -u NONE --cmd 'set runtimepath^=editors/nvim' -c 'luafile editors/nvim/test/config_test.lua'
local failures = {}
local function check(condition, what)
  if not condition then
    table.insert(failures, what)
  end
end

local registered = {}
package.preload['lspconfig.configs'] = function()
  return registered
end
package.preload['lspconfig.util'] = function()
  return {
    root_pattern = function(...)
      local markers = { ... }
      return function()
        return table.concat(markers, ',')
      end
    end,
  }
end

require('dbdsl.lspconfig').register({ cmd = { 'dbdsl', 'serve' }, settings = { dbdsl = { dialect = 'mysql' } } })
local config = registered.dbdsl and registered.dbdsl.default_config
check(config ~= nil, 'lspconfig.configs.dbdsl was not registered')
if config then
  check(vim.deep_equal(config.cmd, { 'dbdsl', 'serve' }), 'cmd')
  check(vim.deep_equal(config.filetypes, { 'dbml' }), 'filetypes')
  check(config.root_dir() == '.git,dbdsl.toml,pyproject.toml', 'root_dir markers')
  check(config.init_options.dialect == 'mysql', 'init_options from the { dbdsl = ... } form')
  check(config.settings.dbdsl.dialect == 'mysql', 'settings.dbdsl')
  check(config.init_options.migrations.directory == 'migrations', 'default settings are kept')
end

local native = dofile(vim.api.nvim_get_runtime_file('lsp/dbdsl.lua', false)[1])
check(type(native.cmd) == 'table' and native.cmd[1] ~= nil, 'lsp/dbdsl.lua has no cmd')
check(vim.deep_equal(native.filetypes, { 'dbml' }), 'lsp/dbdsl.lua filetypes')
check(vim.deep_equal(native.root_markers, { '.git', 'dbdsl.toml', 'pyproject.toml' }), 'lsp/dbdsl.lua root_markers')

-- the code lens command: registered for every configuration, and malformed arguments are refused
local references = require('dbdsl.references')
check(vim.lsp.commands['dbdsl.showReferences'] == references.show, 'lspconfig: vim.lsp.commands["dbdsl.showReferences"]')
check(native.commands and native.commands['dbdsl.showReferences'] == references.show, 'lsp/dbdsl.lua commands')
local notified = {}
vim.notify = function(message)
  table.insert(notified, message)
end
vim.fn.setqflist({}, ' ', { title = 'before', items = {} })
references.show({ command = 'dbdsl.showReferences', arguments = { 'file:///a.dbml', { line = 0, character = 0 }, 'nope' } }, {})
references.show({ command = 'dbdsl.showReferences', arguments = { 'file:///a.dbml', { line = 0, character = 0 }, { { uri = 'file:///a.dbml' } } } }, {})
references.show({ command = 'dbdsl.showReferences', arguments = { 'file:///a.dbml', { line = 0, character = 0 }, {} } }, {})
check(vim.fn.getqflist({ title = 1 }).title == 'before', 'malformed or empty locations changed the quickfix list')
check(#notified == 3 and notified[1]:match('takes a uri, a position and a list of locations') and notified[2] == notified[1], 'malformed arguments are reported')
check(notified[3] == 'dbdsl: no references.', 'no references is reported')

if #failures == 0 then
  io.stdout:write('dbdsl lspconfig and lsp/dbdsl.lua configurations: passed\n')
  vim.cmd('qa!')
else
  io.stdout:write('dbdsl configuration test failed:\n  ' .. table.concat(failures, '\n  ') .. '\n')
  vim.cmd('cquit 1')
end
