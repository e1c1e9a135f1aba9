-- Buffer options for DBML files.
if vim.b.did_ftplugin then
  return
end
vim.b.did_ftplugin = 1

vim.bo.commentstring = '// %s'
vim.bo.comments = 's1:/*,mb:*,ex:*/,://'
vim.bo.iskeyword = '@,48-57,_,192-255'
vim.b.undo_ftplugin = 'setlocal commentstring< comments< iskeyword<'
