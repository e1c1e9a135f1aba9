-- Finds a project root by walking up from a directory. Works on Neovim 0.7 (no vim.fs).
local M = {}

M.markers = { '.git', 'dbdsl.toml', 'pyproject.toml' }

--- The nearest directory, from `start` up, that holds one of `markers`; nil when none does.
function M.find(start, markers)
  local dir = vim.fn.fnamemodify(start, ':p'):gsub('[/\\]+$', '')
  if dir == '' then
    dir = '/'
  end
  while true do
    for _, marker in ipairs(markers or M.markers) do
      if vim.loop.fs_stat(dir .. '/' .. marker) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ':h')
    if parent == dir then
      return nil
    end
    dir = parent
  end
end

--- The root for a buffer: its project root, else the directory of its file, else the working directory.
function M.for_buffer(bufnr, markers)
  local name = vim.api.nvim_buf_get_name(bufnr)
  local dir = name ~= '' and vim.fn.fnamemodify(name, ':p:h') or vim.loop.cwd()
  return M.find(dir, markers) or dir
end

return M
