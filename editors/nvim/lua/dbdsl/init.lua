-- dbdsl language server for `dbml` buffers, on Neovim 0.7 and newer, without plugins.
--
--   require('dbdsl').setup({
--     cmd = { 'dbdsl', 'serve' },            -- default: `dbdsl serve`, else `python3 -m dbdsl serve`
--     settings = { dialect = 'postgres', lint = { ignore = { 'S' } } },
--   })
--
-- `settings` is the `dbdsl` section, the same keys as the VS Code settings `dbdsl.*`: it is sent as
-- `initializationOptions` and as `{ dbdsl = settings }` in `workspace/didChangeConfiguration`.
local references = require('dbdsl.references')
local root = require('dbdsl.root')
local server = require('dbdsl.server')

local M = {}

M.default_settings = {
  dialect = '',
  lint = { select = {}, ignore = {} },
  hover = { images = true },
  migrations = { directory = 'migrations', showDrops = false },
}

local options = nil
local clients_by_root = {} -- Neovim 0.7 only: client id per root directory
local reported = {} -- messages already shown, so a missing server is reported once, not per buffer

local function notify_once(message, level)
  if reported[message] then
    return
  end
  reported[message] = true
  vim.notify(message, level or vim.log.levels.ERROR)
end

--- Accepts the section itself or lspconfig's `{ dbdsl = { ... } }` form.
local function section(settings)
  if type(settings) ~= 'table' then
    return {}
  end
  if type(settings.dbdsl) == 'table' and next(settings, next(settings)) == nil then
    return settings.dbdsl
  end
  return settings
end

--- The client configuration shared by setup(), the lspconfig registration and `lsp/dbdsl.lua`.
function M.client_config(opts)
  opts = opts or {}
  local settings = vim.tbl_deep_extend('force', vim.deepcopy(M.default_settings), section(opts.settings))
  return {
    name = 'dbdsl',
    cmd = opts.cmd or server.default_cmd(),
    filetypes = opts.filetypes or { 'dbml' },
    root_markers = opts.root_markers or root.markers,
    init_options = settings,
    settings = { dbdsl = settings },
    capabilities = opts.capabilities,
    -- client-side commands: the server's code lenses run `dbdsl.showReferences`
    commands = { [references.command] = references.show },
    on_attach = opts.on_attach,
    on_init = function(client)
      local params = { settings = client.config.settings }
      if vim.fn.has('nvim-0.11') == 1 then
        client:notify('workspace/didChangeConfiguration', params)
      else
        client.notify('workspace/didChangeConfiguration', params)
      end
    end,
    on_exit = function(code, signal)
      if code ~= 0 and signal == 0 then
        vim.schedule(function()
          vim.notify(
            ('dbdsl: the language server exited with code %d; its messages are in %s'):format(code, vim.lsp.get_log_path()),
            vim.log.levels.WARN
          )
        end)
      end
    end,
  }
end

--- Starts the server for a buffer, or attaches the buffer to the server already running for its root.
function M.attach(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if vim.bo[bufnr].buftype ~= '' then
    return
  end
  local config = M.client_config(options)
  local ok, message = server.check(config.cmd)
  if not ok then
    notify_once(message)
    return
  end
  config.root_dir = root.for_buffer(bufnr, config.root_markers)
  config.cmd_cwd = config.root_dir

  if vim.lsp.start then -- Neovim 0.8+: reuses the client of the same name and root
    vim.lsp.start(config, { bufnr = bufnr })
    return
  end

  local id = clients_by_root[config.root_dir]
  local client = id and vim.lsp.get_client_by_id(id)
  if client == nil or client.is_stopped() then
    local started, result = pcall(vim.lsp.start_client, config)
    if not started or result == nil then
      notify_once(('dbdsl: could not start `%s`: %s'):format(table.concat(config.cmd, ' '), tostring(result)))
      return
    end
    id = result
    clients_by_root[config.root_dir] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
end

--- Registers the autocommand that attaches `dbml` buffers, attaches those already open, and adds the
--- :DbdslExportSql, :DbdslGenerateMigration and :DbdslGenerateDocument commands.
function M.setup(opts)
  options = opts or {}
  local filetypes = options.filetypes or { 'dbml' }
  local group = vim.api.nvim_create_augroup('dbdsl', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = filetypes,
    callback = function(args)
      M.attach(args.buf)
    end,
  })
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(filetypes, vim.bo[bufnr].filetype) then
      M.attach(bufnr)
    end
  end
  require('dbdsl.commands').register()
end

return M
