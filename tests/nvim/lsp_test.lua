-- Runs inside `nvim --headless -u editors/nvim/minimal_init.lua <schema>` (see test_nvim.py) with the real
-- server: waits for diagnostics, asks hover and definition at HOVER_LINE/HOVER_COL, writes what it got
-- (JSON) to RESULT_FILE, and quits. Python checks the answers.
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
finish()
