-- The daemon's socket path, by the rules every heph client follows (src/paths.ts in the repo).
local M = {}

local function non_empty(value)
  if value == nil or value == "" then
    return nil
  end
  return value
end

-- XDG says relative paths in these variables are invalid: ignore them.
local function xdg_dir(value)
  if value and value:sub(1, 1) == "/" then
    return value
  end
  return nil
end

local function absolute(path)
  if path:sub(1, 1) == "/" then
    return path
  end
  return vim.fn.getcwd() .. "/" .. path
end

-- `env` is for tests: a table standing in for the environment.
function M.socket(env)
  local source = env or vim.env
  local function get(name)
    return source[name]
  end
  local explicit = non_empty(get("HEPH_SOCKET"))
  if explicit then
    return absolute(explicit)
  end
  local runtime = xdg_dir(non_empty(get("XDG_RUNTIME_DIR")))
  if runtime then
    return runtime .. "/heph/hephd.sock"
  end
  local data = xdg_dir(non_empty(get("XDG_DATA_HOME"))) or ((get("HOME") or "") .. "/.local/share")
  return data .. "/heph/hephd.sock"
end

return M
