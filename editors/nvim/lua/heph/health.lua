-- :checkhealth heph — the socket, the daemon that answers there, and version skew.
local rpc = require("heph.rpc")

local M = {}

-- vim.health.start… (0.10+), vim.health.report_start… (0.8, 0.9), require("health") (0.7).
local function reporter()
  local health = vim.health or require("health")
  local function pick(new, old)
    return health[new] or health[old]
  end
  return {
    start = pick("start", "report_start"),
    ok = pick("ok", "report_ok"),
    info = pick("info", "report_info"),
    warn = pick("warn", "report_warn"),
    error = pick("error", "report_error"),
  }
end

-- Methods this plugin calls; a daemon without one is older than the plugin.
M.required_methods = {
  "node.get",
  "node.update",
  "node.resolve",
  "node.create",
  "node.complete",
  "links.back",
  "journal.get",
  "search",
  "next",
  "list",
  "view",
  "task.add",
  "task.done",
  "task.drop",
  "task.get",
  "task.promote",
  "log.tail",
  "events.subscribe",
}

local function cli_version()
  local heph = vim.fn.exepath("heph")
  if heph == "" then
    return nil, nil
  end
  local output = vim.fn.system({ heph, "--version" })
  if vim.v.shell_error ~= 0 then
    return heph, nil
  end
  return heph, vim.trim(output):match("(%S+)$")
end

function M.check()
  local report = reporter()
  report.start("heph")
  local v = vim.version()
  report.info(("Neovim %d.%d.%d; libuv through %s"):format(v.major, v.minor, v.patch, vim.uv and "vim.uv" or "vim.loop"))
  local socket = rpc.socket_path()
  report.info("socket: " .. socket .. (vim.env.HEPH_SOCKET and " (from HEPH_SOCKET)" or " (the default path)"))
  local info, err = rpc.call("daemon.info", nil, { timeout_ms = 3000 })
  if err then
    report.error(err.message or tostring(err), { "Start the daemon: `heph daemon start`", "Or point HEPH_SOCKET at a running one" })
    return
  end
  report.ok(
    ("hephd %s answers (pid %d, mode %s, up %ds, store %s, schema %d)"):format(
      info.version,
      info.pid,
      info.mode,
      math.floor(info.uptime_ms / 1000),
      info.db,
      info.schema_version
    )
  )
  local heph, version = cli_version()
  if not heph then
    report.info("no `heph` on PATH to compare versions with")
  elseif version and version ~= info.version then
    report.warn(
      ("version skew: the daemon runs %s (%s), the heph on PATH is %s (%s)"):format(info.version, info.binary, version, heph),
      { "After an upgrade the daemon is still the old binary: run `heph daemon restart`" }
    )
  else
    report.ok(("the heph on PATH (%s) is the same version as the daemon"):format(heph))
  end
  local described = rpc.call("rpc.discover") or { methods = {} }
  local known = {}
  for _, method in ipairs(described.methods or {}) do
    known[method.name] = true
  end
  local missing = {}
  for _, name in ipairs(M.required_methods) do
    if not known[name] then
      table.insert(missing, name)
    end
  end
  if #missing > 0 then
    report.warn("the daemon is older than this plugin; it lacks " .. table.concat(missing, ", "), {
      "Upgrade heph, then `heph daemon restart`",
    })
  else
    report.ok("the daemon has every method the plugin uses")
  end
  local subscribed = rpc.call("events.subscribe")
  if subscribed and subscribed.subscribed then
    report.ok("live events: subscribed (" .. table.concat(subscribed.events, ", ") .. ")")
  end
end

return M
