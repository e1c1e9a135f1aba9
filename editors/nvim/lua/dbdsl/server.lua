-- Chooses the server command and checks that it can run, with a readable message when it cannot.
local M = {}

--- `dbdsl serve` when `dbdsl` is on PATH, else `python3 -m dbdsl serve`.
function M.default_cmd()
  if vim.fn.executable('dbdsl') == 1 then
    return { 'dbdsl', 'serve' }
  end
  local python = vim.fn.has('win32') == 1 and 'python' or 'python3'
  if vim.fn.executable(python) == 1 then
    return { python, '-m', 'dbdsl', 'serve' }
  end
  return { 'dbdsl', 'serve' }
end

local function install_hint(python)
  return ('Install it from a clone of the dbdsl repository: `%s -m pip install /path/to/dbdsl` (in a virtual environment), or run its `scripts/setup`, which makes .venv/bin/dbdsl.'):format(
    python
  )
end

--- Returns true, or false and a message saying what is missing and how to install it.
function M.check(cmd)
  if type(cmd) ~= 'table' or type(cmd[1]) ~= 'string' or cmd[1] == '' then
    return false, 'dbdsl: `cmd` must be a list such as { "dbdsl", "serve" }.'
  end
  if vim.fn.executable(cmd[1]) ~= 1 then
    return false,
      ('dbdsl: the language server command `%s` was not found. %s Or pass cmd = { ... } to require("dbdsl").setup().'):format(
        table.concat(cmd, ' '),
        install_hint('python3')
      )
  end
  if cmd[2] == '-m' and cmd[3] == 'dbdsl' then
    vim.fn.system({ cmd[1], '-c', 'import dbdsl' })
    if vim.v.shell_error ~= 0 then
      local python = vim.fn.exepath(cmd[1])
      python = python ~= '' and python or cmd[1]
      return false, ('dbdsl: the Python package "dbdsl" is not installed for %s. %s'):format(python, install_hint(python))
    end
  end
  return true
end

return M
