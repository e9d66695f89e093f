-- heph.nvim entry: the :Heph command and the heph://node/* buffers. Modules load on first use.
if vim.g.loaded_heph then
  return
end
vim.g.loaded_heph = true

if vim.fn.has("nvim-0.7") == 0 then
  vim.notify("heph.nvim needs Neovim 0.7 or later", vim.log.levels.ERROR)
  return
end

vim.api.nvim_create_user_command("Heph", function(opts)
  require("heph.commands").run(opts)
end, {
  nargs = "*",
  desc = "heph: journals, docs, search, tasks",
  complete = function(lead, line)
    return require("heph.commands").complete(lead, line)
  end,
})

local group = vim.api.nvim_create_augroup("heph", { clear = true })
vim.api.nvim_create_autocmd("BufReadCmd", {
  group = group,
  pattern = "heph://node/*",
  callback = function(args)
    require("heph.buffers").read(args.buf)
  end,
})
vim.api.nvim_create_autocmd("BufWriteCmd", {
  group = group,
  pattern = "heph://node/*",
  callback = function(args)
    require("heph.buffers").write(args.buf, vim.v.cmdbang == 1)
  end,
})

vim.cmd([[
  highlight default HephRed ctermfg=Red guifg=#d70000
  highlight default HephOrange ctermfg=Yellow guifg=#d78700
  highlight default HephBlue ctermfg=Blue guifg=#0087d7
]])
