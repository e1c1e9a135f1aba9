" Basic highlighting for DBML and the dbdsl extensions. The language server's semantic tokens, where
" the editor supports them (Neovim 0.9+), add names, types and references on top.
if exists('b:current_syntax')
  finish
endif

syntax case ignore
syntax keyword dbmlDeclaration project table tablepartial tablegroup enum ref note records diagramview query
syntax keyword dbmlDeclaration indexes checks dependencies
syntax keyword dbmlImport use reuse from
syntax keyword dbmlKeyword as
syntax keyword dbmlConstant true false null
syntax keyword dbmlModifier pk increment unique
syntax match dbmlModifier /\<primary\s\+key\>/
syntax match dbmlModifier /\<not\s\+null\>/
syntax match dbmlSetting /\<\w\+\ze\s*:/ contained
syntax region dbmlSettings matchgroup=dbmlDelimiter start=/\[/ end=/\]/
      \ contains=dbmlSetting,dbmlModifier,dbmlConstant,dbmlOperator,dbmlNumber,dbmlColor,dbmlString,dbmlQuoted,dbmlExpression,dbmlComment
syntax match dbmlOperator /<>\|<\|>\|->\|\~/
syntax match dbmlNumber /\<-\?\d\+\(\.\d\+\)\?\>/
syntax match dbmlColor /#\x\{3,8}\>/
syntax region dbmlString start=/'''/ end=/'''/ contains=dbmlEscape
syntax region dbmlString start=/'\(''\)\@!/ skip=/\\'/ end=/'/ oneline contains=dbmlEscape
syntax match dbmlEscape /\\./ contained
syntax region dbmlQuoted start=/"/ skip=/\\"/ end=/"/ oneline
syntax region dbmlExpression start=/`/ end=/`/ oneline
syntax match dbmlComment /\/\/.*$/ contains=dbmlTodo,dbmlDirective
syntax region dbmlComment start=/\/\*/ end=/\*\// contains=dbmlTodo
syntax keyword dbmlTodo TODO FIXME XXX contained
syntax match dbmlDirective /dbdsl:\s*ignore\(\[[^\]]*\]\)\?/ contained

highlight default link dbmlDeclaration Keyword
highlight default link dbmlImport Include
highlight default link dbmlKeyword Keyword
highlight default link dbmlConstant Constant
highlight default link dbmlModifier StorageClass
highlight default link dbmlSetting Identifier
highlight default link dbmlDelimiter Delimiter
highlight default link dbmlOperator Operator
highlight default link dbmlNumber Number
highlight default link dbmlColor Constant
highlight default link dbmlString String
highlight default link dbmlEscape SpecialChar
highlight default link dbmlQuoted Identifier
highlight default link dbmlExpression Special
highlight default link dbmlComment Comment
highlight default link dbmlTodo Todo
highlight default link dbmlDirective PreProc

let b:current_syntax = 'dbml'
