-- Options, with their defaults; require("heph").setup(opts) merges over them.
local M = {}

M.defaults = {
  -- The daemon's socket; nil: $HEPH_SOCKET, else the default path (as the heph CLI).
  socket = nil,
  -- How long a request that Neovim waits for (reading a buffer, :w, completion) may take.
  timeout_ms = 10000,
  -- Reload unmodified node buffers and refresh list buffers when the daemon says a node changed.
  live = true,
  -- Typing [[ in a node buffer opens completion of titles and aliases.
  complete_on_brackets = true,
  -- How many candidates [[ completion and search pickers ask for.
  complete_limit = 30,
  search_limit = 50,
  -- "auto": telescope, fzf-lua or snacks when installed, else vim.ui.select; or name one.
  picker = "auto",
  -- Buffer-local mappings; set one to false to leave that key alone.
  mappings = {
    follow = "<CR>",
    follow_gf = "gf",
  },
  list_mappings = {
    add = "a",
    done = "d",
    drop = "x",
    open = "<CR>",
    refresh = "r",
    show = "s",
  },
  -- The in-process language server (Neovim 0.10+): definition, completion, references, diagnostics.
  lsp = false,
}

M.options = vim.deepcopy(M.defaults)

function M.set(opts)
  M.options = vim.tbl_deep_extend("force", vim.deepcopy(M.defaults), opts or {})
  return M.options
end

return M
