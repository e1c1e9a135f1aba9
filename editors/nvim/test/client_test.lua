-- Runs inside `nvim --headless -u editors/nvim/minimal_init.lua <dir>/db/schema.dbml` (see run.sh) with
-- the fake server: checks what the client sent, that a code lens fills the quickfix list, and that
-- :DbdslExportSql opens the file the server created.
local log_path = assert(os.getenv('FAKE_LSP_LOG'))
local project = assert(os.getenv('PROJECT_DIR'))
local expected_dialect = os.getenv('EXPECT_DIALECT') or ''
local expected_ignore = os.getenv('EXPECT_IGNORE')
local is_list = vim.islist or vim.tbl_islist
local failures = {}

local function check(condition, what)
  if not condition then
    table.insert(failures, what)
  end
end

local function messages()
  local found = {}
  if vim.fn.filereadable(log_path) == 1 then
    for _, line in ipairs(vim.fn.readfile(log_path)) do
      table.insert(found, vim.json.decode(line))
    end
  end
  return found
end

local function first(method)
  for _, message in ipairs(messages()) do
    if message.method == method then
      return message
    end
  end
  return nil
end

local attached = vim.wait(10000, function()
  return first('textDocument/didOpen') ~= nil
end, 50)
check(attached, 'the server never received textDocument/didOpen')

local initialize = first('initialize')
check(initialize ~= nil, 'no initialize request')
if initialize then
  local params = initialize.params
  check(params.rootUri == vim.uri_from_fname(project), 'rootUri is ' .. tostring(params.rootUri) .. ', not the project root')
  local options = params.initializationOptions or {}
  check(options.dialect == expected_dialect, 'initializationOptions.dialect is ' .. tostring(options.dialect))
  check(options.hover and options.hover.images == true, 'initializationOptions.hover.images is not true')
  check(options.migrations and options.migrations.directory == 'migrations', 'initializationOptions.migrations.directory')
  check(options.lint and is_list(options.lint.ignore) and options.lint.ignore[1] == expected_ignore, 'initializationOptions.lint.ignore')
end

local open = first('textDocument/didOpen')
check(open and open.params.textDocument.languageId == 'dbml', 'didOpen languageId is not dbml')

local configuration = first('workspace/didChangeConfiguration')
check(
  configuration and configuration.params.settings.dbdsl and configuration.params.settings.dbdsl.dialect == expected_dialect,
  'workspace/didChangeConfiguration does not carry { dbdsl = settings }'
)

-- the "2 references" code lens: running it puts its locations in the quickfix list, on the client side
local schema_window = vim.api.nvim_get_current_win()
vim.lsp.codelens.refresh()
local got_lens = vim.wait(10000, function()
  return #vim.lsp.codelens.get(0) > 0
end, 50)
check(got_lens, 'no code lens from the server')
vim.api.nvim_win_set_cursor(0, { 1, 0 })
vim.lsp.codelens.run()
local quickfix = vim.fn.getqflist({ title = 1, items = 1, winid = 1 })
check(quickfix.title == 'dbdsl: references', 'quickfix title is ' .. tostring(quickfix.title))
check(quickfix.winid ~= 0, 'the quickfix window did not open')
local places = {}
for _, item in ipairs(quickfix.items) do
  table.insert(places, ('%s:%d:%d'):format(vim.fn.fnamemodify(vim.api.nvim_buf_get_name(item.bufnr), ':t'), item.lnum, item.col))
end
table.sort(places)
check(vim.deep_equal(places, { 'posts.dbml:2:26', 'schema.dbml:2:3' }), 'quickfix items: ' .. table.concat(places, ', '))
vim.cmd('cclose')
vim.api.nvim_set_current_win(schema_window)

vim.cmd('DbdslExportSql postgres')
local opened = vim.wait(10000, function()
  return vim.api.nvim_buf_get_name(0):match('schema%.postgres%.sql$') ~= nil
end, 50)
check(opened, ':DbdslExportSql did not open the created file (current buffer: ' .. vim.api.nvim_buf_get_name(0) .. ')')
if opened then
  check(vim.api.nvim_buf_get_lines(0, 0, 1, false)[1] == 'CREATE TABLE users (id integer PRIMARY KEY);', 'the created file has the wrong text')
end
for _, message in ipairs(messages()) do
  if message.method == 'workspace/executeCommand' then
    check(message.params.command ~= 'dbdsl.showReferences', 'dbdsl.showReferences was sent to the server')
  end
end
local execute = first('workspace/executeCommand')
check(execute and #execute.params.arguments == 1 and execute.params.arguments[1].dialect == 'postgres', 'executeCommand arguments')

if #failures == 0 then
  io.stdout:write(('neovim %s: dbdsl client test passed\n'):format(tostring(vim.version().major) .. '.' .. vim.version().minor .. '.' .. vim.version().patch))
  vim.cmd('qa!')
else
  io.stdout:write('dbdsl client test failed:\n  ' .. table.concat(failures, '\n  ') .. '\n')
  vim.cmd('cquit 1')
end
