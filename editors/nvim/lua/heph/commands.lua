-- :Heph <sub-command> [args], and the completion of sub-commands and their arguments.
local util = require("heph.util")
local rpc = require("heph.rpc")
local buffers = require("heph.buffers")

local M = {}

local VIEWS = { "inbox", "ondeck", "today", "late", "upcoming" }
local LIST_KEYS = {
  "project=",
  "subprojects=",
  "unfiled",
  "attention=",
  "exclude=",
  "state=",
  "all",
  "actionable",
  "do_from=",
  "do_to=",
  "late_from=",
  "late_to=",
  "limit=",
}

-- `:Heph list` words to list params: key=value with the RPC's names (exclude for
-- exclude_attention; comma lists), bare `all`, `actionable`, `unfiled`, `#Project`, a colour.
function M.list_params(words)
  local params = {}
  local lists = { attention = true, exclude_attention = true, state = true }
  for _, word in ipairs(words) do
    local key, value = word:match("^([%w_]+)=(.*)$")
    if key then
      key = key == "exclude" and "exclude_attention" or key
      if lists[key] then
        params[key] = vim.split(value, ",", { plain = true, trimempty = true })
      elseif key == "limit" then
        params.limit = tonumber(value)
      elseif key == "subprojects" or key == "unfiled" or key == "actionable" then
        params[key] = value ~= "false" and value ~= "no"
      else
        params[key] = value
      end
    elseif word == "all" then
      params.state = { "outstanding", "done", "dropped" }
    elseif word == "actionable" or word == "unfiled" then
      params[word] = true
    elseif word:sub(1, 1) == "#" then
      params.project = word:sub(2)
    elseif vim.tbl_contains({ "red", "orange", "white", "blue" }, word) then
      params.attention = params.attention or {}
      table.insert(params.attention, word)
    else
      error(("`:Heph list` does not know %q; use key=value (%s)"):format(word, table.concat(LIST_KEYS, " ")))
    end
  end
  return params
end

local function open_node(method, params)
  local node, err = rpc.call(method, params)
  if err then
    util.error(method .. ": " .. util.describe(err))
    return
  end
  buffers.open(node.id)
end

local function rest(args)
  return table.concat(args, " ")
end

M.sub = {
  today = function()
    open_node("journal.get", nil)
  end,
  journal = function(args)
    open_node("journal.get", #args > 0 and { date = rest(args) } or nil)
  end,
  doc = function(args)
    local title = vim.trim(rest(args))
    if title == "" then
      util.error(":Heph doc needs a title")
      return
    end
    local node = rpc.call("node.resolve", { title = title })
    if node then
      buffers.open(node.id)
    else
      open_node("node.create", { kind = "doc", title = title })
    end
  end,
  search = function(args)
    require("heph.picker").search(rest(args), function(hit)
      if hit then
        buffers.open(hit.id)
      end
    end)
  end,
  next = function()
    require("heph.lists").open({ name = "next", method = "next", params = { limit = 100 }, label = "next" })
  end,
  list = function(args)
    local params = M.list_params(args)
    require("heph.lists").open({
      name = "list" .. (#args > 0 and ("?" .. rest(args)) or ""),
      method = "list",
      params = params,
      label = "list" .. (#args > 0 and (" " .. rest(args)) or ""),
    })
  end,
  view = function(args)
    local name = args[1]
    if not vim.tbl_contains(VIEWS, name) then
      util.error(":Heph view takes " .. table.concat(VIEWS, ", "))
      return
    end
    require("heph.lists").open({ name = "view/" .. name, method = "view", params = { name = name }, label = "view " .. name })
  end,
  add = function(args)
    local line = vim.trim(rest(args))
    if line == "" then
      util.error(':Heph add needs a quick-add line, such as "Pay rent tomorrow p1 #Home"')
      return
    end
    require("heph.tasks").add(line)
  end,
  done = function(args)
    require("heph.tasks").finish("done", args[1])
  end,
  drop = function(args)
    require("heph.tasks").finish("drop", args[1])
  end,
  show = function(args)
    require("heph.tasks").show(args[1])
  end,
  promote = function()
    require("heph.tasks").promote()
  end,
  link = function(args)
    require("heph.links").insert(rest(args))
  end,
  backlinks = function()
    require("heph.links").backlinks(vim.api.nvim_get_current_buf())
  end,
  reload = function()
    buffers.reload(vim.api.nvim_get_current_buf())
  end,
}

function M.run(opts)
  require("heph.events").start()
  local args = vim.deepcopy(opts.fargs)
  local name = table.remove(args, 1)
  local sub = name and M.sub[name]
  if not sub then
    util.error(("unknown sub-command %s; try one of: %s"):format(tostring(name), table.concat(M.names(), ", ")))
    return
  end
  local ok, err = pcall(sub, args)
  if not ok then
    util.error(tostring(err))
  end
end

function M.names()
  local names = vim.tbl_keys(M.sub)
  table.sort(names)
  return names
end

local function matching(list, lead)
  return vim.tbl_filter(function(item)
    return vim.startswith(item, lead)
  end, list)
end

function M.complete(lead, line)
  local words = vim.split(line:sub(1, #line - #lead), "%s+", { trimempty = true })
  if #words <= 1 then
    return matching(M.names(), lead)
  end
  local sub = words[2]
  if sub == "view" then
    return matching(VIEWS, lead)
  elseif sub == "list" then
    return matching(LIST_KEYS, lead)
  elseif sub == "journal" then
    return matching({ "today", "yesterday", "tomorrow" }, lead)
  elseif sub == "doc" and #lead > 0 then
    local found = rpc.call("node.complete", { query = lead, kind = "doc", limit = 20 }) or {}
    return vim.tbl_map(function(candidate)
      return candidate.alias or candidate.title
    end, found)
  end
  return {}
end

return M
