-- The transport: one unix-socket pipe to hephd per Neovim, NDJSON JSON-RPC 2.0 over it.
--
-- Requests are written as soon as the pipe is open (queued while it connects); replies are
-- matched to requests by id, in whatever order they come; a partial line waits for the rest.
-- Lines without an id are notifications from the daemon (live events) and go to the handlers
-- registered with on_notification. When the pipe closes (the daemon stopped or restarted),
-- every waiting request fails, and the next request connects again. Nothing here ever starts a
-- daemon: when none answers, the error names the socket and `heph daemon start`.
local util = require("heph.util")
local config = require("heph.config")
local paths = require("heph.paths")

local uv = util.uv
local M = {}

local state = {
  pipe = nil,
  status = "closed", -- "closed", "connecting" or "open"
  socket = nil,
  -- Bumped for every new pipe, so callbacks of an old one are ignored.
  generation = 0,
  parts = {},
  next_id = 1,
  pending = {}, -- id -> callback(err, result), safe to call from a libuv callback
  outbox = {},
}
local hooks = { connect = {}, disconnect = {} }
local notification_handlers = {}

function M.socket_path()
  return config.options.socket or paths.socket()
end

function M.status()
  return { status = state.status, socket = state.socket or M.socket_path() }
end

local function unreachable(path, detail)
  return {
    kind = "unreachable",
    message = ("No heph daemon answers at %s (%s). Start it with `heph daemon start` (or run `hephd --mode local` in a terminal)."):format(
      path,
      detail
    ),
  }
end

local function run_hooks(list, ...)
  local args = { ... }
  for _, hook in ipairs(list) do
    vim.schedule(function()
      local ok, err = pcall(hook, (table.unpack or unpack)(args))
      if not ok then
        util.error("a connection hook failed: " .. tostring(err))
      end
    end)
  end
end

local function fail_all(err)
  local pending = state.pending
  state.pending = {}
  state.outbox = {}
  for _, callback in pairs(pending) do
    callback(err, nil)
  end
end

local function close(err)
  local was_open = state.status == "open"
  state.generation = state.generation + 1
  state.status = "closed"
  state.parts = {}
  local pipe = state.pipe
  state.pipe = nil
  if pipe and not pipe:is_closing() then
    pipe:close()
  end
  fail_all(err)
  if was_open then
    run_hooks(hooks.disconnect, err)
  end
end

local function dispatch(line)
  if line == "" then
    return
  end
  local ok, message = pcall(vim.json.decode, line, { luanil = { object = true, array = true } })
  if not ok or type(message) ~= "table" then
    return
  end
  if message.id ~= nil then
    local callback = state.pending[message.id]
    if callback then
      state.pending[message.id] = nil
      callback(message.error, message.result)
    end
  elseif message.method then
    local handlers = notification_handlers[message.method]
    if handlers then
      vim.schedule(function()
        for _, handler in ipairs(handlers) do
          local handled, err = pcall(handler, message.params or {})
          if not handled then
            util.error(message.method .. " handler failed: " .. tostring(err))
          end
        end
      end)
    end
  elseif message.error then
    -- An error with id null belongs to no request (too many connections): it ends them all.
    fail_all(message.error)
  end
end

local function reader(generation)
  return function(err, chunk)
    if generation ~= state.generation then
      return
    end
    if err or not chunk then
      close({
        kind = "transport",
        message = ("The connection to hephd at %s closed (%s); a write in flight may or may not have been applied."):format(
          state.socket,
          err or "the daemon stopped or restarted"
        ),
      })
      return
    end
    -- Lines are cut only at "\n"; a reply may arrive in many chunks.
    local start = 1
    while true do
      local newline = chunk:find("\n", start, true)
      if not newline then
        break
      end
      table.insert(state.parts, chunk:sub(start, newline - 1))
      local line = table.concat(state.parts)
      state.parts = {}
      dispatch((line:gsub("\r$", "")))
      if generation ~= state.generation then
        return
      end
      start = newline + 1
    end
    if start <= #chunk then
      table.insert(state.parts, chunk:sub(start))
    end
  end
end

-- The socket must be ours (or root's): requests are not sent to another user's daemon.
local function check_socket(path)
  local stat = uv.fs_stat(path)
  if not stat then
    return unreachable(path, "nothing is listening there")
  end
  if stat.type ~= "socket" then
    return unreachable(path, "it exists but is not a socket")
  end
  local uid = uv.getuid and uv.getuid() or nil
  if uid and stat.uid ~= uid and stat.uid ~= 0 then
    return unreachable(path, ("it belongs to uid %d, not to you (uid %d)"):format(stat.uid, uid))
  end
  return nil
end

local function connect()
  if state.status ~= "closed" then
    return
  end
  local path = M.socket_path()
  state.socket = path
  local problem = check_socket(path)
  if problem then
    return problem
  end
  state.generation = state.generation + 1
  local generation = state.generation
  local pipe = uv.new_pipe(false)
  state.pipe = pipe
  state.status = "connecting"
  local ok, err = pcall(pipe.connect, pipe, path, function(connect_err)
    if generation ~= state.generation then
      return
    end
    if connect_err then
      close(unreachable(path, connect_err == "ECONNREFUSED" and "connection refused: the daemon that made it is gone" or connect_err))
      return
    end
    state.status = "open"
    pipe:read_start(reader(generation))
    local outbox = state.outbox
    state.outbox = {}
    for _, line in ipairs(outbox) do
      pipe:write(line)
    end
    run_hooks(hooks.connect)
  end)
  if not ok then
    close(unreachable(path, tostring(err)))
    return unreachable(path, tostring(err))
  end
end

local function encode(method, params, id)
  local message = { jsonrpc = "2.0", method = method, id = id }
  if params ~= nil and next(params) ~= nil then
    message.params = params
  end
  return vim.json.encode(message) .. "\n"
end

-- Sends a request; `callback(err, result)` may run in a libuv callback. Returns the id, or
-- nil after calling back with the error when no daemon can be reached.
local function send(method, params, callback)
  local problem = connect()
  if problem then
    callback(problem, nil)
    return nil
  end
  local id = state.next_id
  state.next_id = id + 1
  state.pending[id] = callback
  local line = encode(method, params, id)
  if state.status == "open" then
    state.pipe:write(line)
  else
    table.insert(state.outbox, line)
  end
  return id
end

-- Asynchronous: `callback(err, result)` runs on the main loop. err is nil on success; an RPC
-- error is {code, message, data}; a transport problem is {kind, message}.
function M.request(method, params, callback)
  local wrapped = vim.schedule_wrap(callback or function() end)
  return send(method, params, function(err, result)
    wrapped(err, result)
  end)
end

-- Synchronous, for what Neovim must have before it goes on (reading a buffer, :w, completion):
-- returns result, err. The event loop keeps running while it waits, up to the timeout.
function M.call(method, params, opts)
  local done, err, result = false, nil, nil
  local id = send(method, params, function(e, r)
    done, err, result = true, e, r
  end)
  if id == nil then
    return nil, err
  end
  local timeout = (opts and opts.timeout_ms) or config.options.timeout_ms
  local finished = vim.wait(timeout, function()
    return done
  end, 2)
  if not finished and not done then
    state.pending[id] = nil
    return nil,
      {
        kind = "timeout",
        message = ("hephd at %s did not answer %s within %d ms."):format(state.socket, method, timeout),
      }
  end
  return result, err
end

-- fn(params) for every notification `method` from the daemon.
function M.on_notification(method, fn)
  notification_handlers[method] = notification_handlers[method] or {}
  table.insert(notification_handlers[method], fn)
end

-- fn() each time a new connection opens (the events module subscribes on it).
function M.on_connect(fn)
  table.insert(hooks.connect, fn)
end

-- fn(err) each time an open connection closes.
function M.on_disconnect(fn)
  table.insert(hooks.disconnect, fn)
end

function M.close()
  close({ kind = "transport", message = "heph closed the connection" })
end

return M
