-- *.dbml and *.dbdsl files have the filetype `dbml`. Sourced inside the `filetypedetect` group.
vim.cmd([[autocmd BufRead,BufNewFile *.dbml,*.dbdsl setfiletype dbml]])
