-- Neovim 0.11+: with editors/nvim on 'runtimepath', `vim.lsp.enable('dbdsl')` uses this configuration.
return require('dbdsl').client_config()
