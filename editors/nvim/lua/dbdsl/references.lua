-- `dbdsl.showReferences`, the command of the server's "N references" code lenses
-- (`vim.lsp.codelens.run()` runs it): its arguments are { uri, position, locations } in LSP JSON, and
-- the locations go to the quickfix list, which opens. Works on Neovim 0.7 and newer.
local M = {}

M.command = 'dbdsl.showReferences'

local is_list = vim.islist or vim.tbl_islist

local function is_location(value)
  return type(value) == 'table'
    and type(value.uri) == 'string'
    and type(value.range) == 'table'
    and type(value.range.start) == 'table'
    and type(value.range['end']) == 'table'
end

local function locations_of(command)
  local locations = type(command) == 'table' and type(command.arguments) == 'table' and command.arguments[3]
  if type(locations) ~= 'table' or not is_list(locations) then
    return nil
  end
  for _, location in ipairs(locations) do
    if not is_location(location) then
      return nil
    end
  end
  return locations
end

--- The handler, called as `client.commands` and `vim.lsp.commands` handlers are: (command, { bufnr, client_id }).
function M.show(command, ctx)
  local locations = locations_of(command)
  if locations == nil then
    vim.notify('dbdsl: showReferences takes a uri, a position and a list of locations.', vim.log.levels.ERROR)
    return
  end
  if #locations == 0 then
    vim.notify('dbdsl: no references.', vim.log.levels.INFO)
    return
  end
  local client = ctx and ctx.client_id and vim.lsp.get_client_by_id(ctx.client_id)
  local items = vim.lsp.util.locations_to_items(locations, client and client.offset_encoding or 'utf-16')
  vim.fn.setqflist({}, ' ', { title = 'dbdsl: references', items = items })
  vim.cmd('botright copen')
end

return M
