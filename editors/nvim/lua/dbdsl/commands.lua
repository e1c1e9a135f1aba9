-- :DbdslExportSql [dialect], :DbdslGenerateMigration and :DbdslGenerateDocument. Each asks the server
-- (workspace/executeCommand) to create a file, which it does with workspace/applyEdit, then opens it.
local M = {}

M.dialects = { 'postgres', 'mysql', 'sqlite', 'mssql', 'oracle', 'snowflake' }

local function dbdsl_client(bufnr)
  if vim.lsp.get_clients then -- 0.10+
    return vim.lsp.get_clients({ bufnr = bufnr, name = 'dbdsl' })[1]
  end
  for _, client in pairs(vim.lsp.buf_get_clients(bufnr)) do
    if client.name == 'dbdsl' then
      return client
    end
  end
  return nil
end

local function request_file(server_command, argument, nothing_created)
  local bufnr = vim.api.nvim_get_current_buf()
  local client = dbdsl_client(bufnr)
  if client == nil then
    vim.notify('dbdsl: the language server is not attached to this buffer.', vim.log.levels.ERROR)
    return
  end
  argument.uri = vim.uri_from_bufnr(bufnr)
  local params = { command = server_command, arguments = { argument } }
  local function on_reply(err, result)
    if err then
      vim.notify('dbdsl: ' .. (err.message or tostring(err)), vim.log.levels.ERROR)
    elseif type(result) == 'table' and type(result.uri) == 'string' then
      vim.cmd('edit ' .. vim.fn.fnameescape(vim.uri_to_fname(result.uri)))
    else
      vim.notify(nothing_created, vim.log.levels.INFO)
    end
  end
  if vim.fn.has('nvim-0.11') == 1 then
    client:request('workspace/executeCommand', params, on_reply, bufnr)
  else
    client.request('workspace/executeCommand', params, on_reply, bufnr)
  end
end

function M.export_sql(dialect)
  if not vim.tbl_contains(M.dialects, dialect) then
    vim.notify('dbdsl: the dialect must be one of ' .. table.concat(M.dialects, ', '), vim.log.levels.ERROR)
    return
  end
  request_file('dbdsl.server.exportSql', { dialect = dialect }, 'dbdsl: the server created no SQL file.')
end

function M.generate_migration()
  request_file('dbdsl.server.generateMigration', {}, 'dbdsl: no migration was created.')
end

function M.generate_document()
  request_file('dbdsl.server.generateDocument', {}, 'dbdsl: the server created no design document.')
end

function M.register()
  vim.api.nvim_create_user_command('DbdslExportSql', function(args)
    M.export_sql(args.args ~= '' and args.args or 'postgres')
  end, {
    nargs = '?',
    desc = 'dbdsl: export SQL DDL for a dialect (default postgres)',
    complete = function(lead)
      return vim.tbl_filter(function(dialect)
        return dialect:sub(1, #lead) == lead
      end, M.dialects)
    end,
  })
  vim.api.nvim_create_user_command('DbdslGenerateMigration', M.generate_migration, {
    desc = 'dbdsl: write the next migration',
  })
  vim.api.nvim_create_user_command('DbdslGenerateDocument', M.generate_document, {
    desc = 'dbdsl: write the design document',
  })
end

return M
