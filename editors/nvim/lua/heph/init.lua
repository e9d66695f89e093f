-- heph.nvim: a connect-only client of hephd. require("heph").setup(opts) is optional: the
-- plugin works with the defaults (lua/heph/config.lua) as soon as it is on the runtimepath.
local M = {}

function M.setup(opts)
  local config = require("heph.config")
  config.set(opts)
  require("heph.events").start()
  local has_cmp, cmp = pcall(require, "cmp")
  if has_cmp and cmp.register_source then
    cmp.register_source("heph", require("heph.completion").cmp_source())
  end
  if config.options.lsp then
    require("heph.lsp").enable()
  end
  return config.options
end

-- Lua access to the daemon, for scripts and mappings: require("heph").call("next", {limit = 5}).
function M.call(method, params)
  return require("heph.rpc").call(method, params)
end

return M
