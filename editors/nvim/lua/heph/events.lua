-- Live over the daemon: subscribe on every connection (events.subscribe), reload node buffers
-- and refresh list buffers as node.changed and task.changed arrive, and catch up after a
-- reconnect or an events.overflow (both mean notifications were missed).
local util = require("heph.util")
local rpc = require("heph.rpc")
local config = require("heph.config")

local M = {}

local started = false
local retry = nil

-- Checks every open node buffer against the daemon, and refreshes every list.
function M.resync()
  local buffers = require("heph.buffers")
  for _, buf in ipairs(util.buffers(buffers.is_node_buffer)) do
    local id = vim.b[buf].heph_id
    rpc.request("node.get", { id = id, include_deleted = true }, function(err, node)
      if not err and node then
        buffers.on_node_changed({
          id = node.id,
          title = node.title,
          updated_at = node.updated_at,
          deleted = node.deleted_at ~= nil or nil,
        })
      end
    end)
  end
  require("heph.lists").schedule_refresh()
end

local function heph_buffers_open()
  return #util.buffers(function(buf)
    return vim.b[buf].heph_id ~= nil or vim.api.nvim_buf_get_name(buf):match("^heph://") ~= nil
  end) > 0
end

local function stop_retry()
  if retry then
    retry:stop()
    retry:close()
    retry = nil
  end
end

-- While heph buffers are open and the daemon is gone, look for it again now and then, so
-- live reloads resume without waiting for the next command. Any call reconnects as well.
local function start_retry()
  if retry or not config.options.live then
    return
  end
  retry = util.uv.new_timer()
  retry:start(
    1000,
    2000,
    vim.schedule_wrap(function()
      if rpc.status().status ~= "closed" or not heph_buffers_open() then
        stop_retry()
        return
      end
      rpc.request("daemon.info", nil, function() end)
    end)
  )
end

function M.start()
  if started then
    return
  end
  started = true
  rpc.on_connect(function()
    stop_retry()
    if not config.options.live then
      return
    end
    rpc.request("events.subscribe", nil, function(err)
      if err and err.code == -32601 then
        util.warn("this hephd has no live events (events.subscribe); upgrade heph and run `heph daemon restart`")
      end
    end)
    M.resync()
  end)
  rpc.on_disconnect(function()
    if heph_buffers_open() then
      start_retry()
    end
  end)
  rpc.on_notification("node.changed", function(params)
    require("heph.buffers").on_node_changed(params)
  end)
  rpc.on_notification("task.changed", function()
    require("heph.lists").schedule_refresh()
  end)
  rpc.on_notification("events.overflow", M.resync)
  -- Already connected (a request came first): subscribe on this connection now.
  if rpc.status().status == "open" and config.options.live then
    rpc.request("events.subscribe", nil, function() end)
  end
end

return M
