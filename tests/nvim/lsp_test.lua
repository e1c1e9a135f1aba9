-- Runs inside `nvim --headless -u editors/nvim/minimal_init.lua <schema>` (see test_nvim.py) with the real
-- server: waits for diagnostics, asks hover and definition at HOVER_LINE/HOVER_COL, runs the code lens of
-- LENS_LINE, writes what it got (JSON) to RESULT_FILE, and quits. Python checks the answers.
local result_file = assert(os.getenv('RESULT_FILE'))
local line = tonumber(assert(os.getenv('HOVER_LINE')))
local col = tonumber(assert(os.getenv('HOVER_COL')))
local out = { diagnostics = {}, errors = {} }

local function finish()
  local f = assert(io.open(result_file, 'w'))
  f:write(vim.json.encode(out))
  f:close()
  vim.cmd('qa!')
end

local got = vim.wait(30000, function()
  return #vim.diagnostic.get(0) > 0
end, 50)
if not got then
  table.insert(out.errors, 'no diagnostics within 30 s')
end
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(out.diagnostics, { lnum = d.lnum, col = d.col, message = d.message, code = d.code })
end

local params = {
  textDocument = { uri = vim.uri_from_bufnr(0) },
  position = { line = line, character = col },
}
local function ask(method)
  local replies, err = vim.lsp.buf_request_sync(0, method, params, 15000)
  if err then
    table.insert(out.errors, method .. ': ' .. tostring(err))
    return nil
  end
  for _, reply in pairs(replies or {}) do
    if reply.error then
      table.insert(out.errors, method .. ': ' .. vim.inspect(reply.error))
    elseif reply.result then
      return reply.result
    end
  end
  return nil
end

out.hover = ask('textDocument/hover')
out.definition = ask('textDocument/definition')

-- the code lens of LENS_LINE, resolved by the server and run here: its references fill the quickfix list
local lens_line = tonumber(assert(os.getenv('LENS_LINE')))
local function lens_on_line()
  for _, lens in ipairs(vim.lsp.codelens.get(0)) do
    if lens.range.start.line == lens_line and lens.command and lens.command.command ~= '' then
      return lens
    end
  end
  return nil
end
vim.lsp.codelens.refresh()
if not vim.wait(15000, function()
  return lens_on_line() ~= nil
end, 50) then
  table.insert(out.errors, 'no resolved code lens on line ' .. lens_line)
else
  out.lens = lens_on_line().command.title
  vim.api.nvim_win_set_cursor(0, { lens_line + 1, 0 })
  vim.lsp.codelens.run()
  local quickfix = vim.fn.getqflist({ title = 1, items = 1 })
  out.quickfix = { title = quickfix.title, items = {} }
  for _, item in ipairs(quickfix.items) do
    table.insert(out.quickfix.items, { file = vim.api.nvim_buf_get_name(item.bufnr), lnum = item.lnum, col = item.col })
  end
end
finish()
