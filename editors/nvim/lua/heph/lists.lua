-- List buffers (heph://next, heph://list?…, heph://view/<name>): one task a line, as the CLI's
-- task table shows them, kept fresh by task.changed events. Keys: a add, d done, x drop,
-- <CR> open the task's context doc, s show, r refresh.
local util = require("heph.util")
local rpc = require("heph.rpc")
local config = require("heph.config")

local M = {}

-- Per list buffer: { spec = {method, params, label}, tasks = {…}, today = "YYYY-MM-DD" }.
local lists = {}
local HEADER = 1 -- lines above the first task

local function days_between(from, to)
  local function time(date)
    local y, m, d = date:match("^(%d+)-(%d+)-(%d+)$")
    return os.time({ year = tonumber(y), month = tonumber(m), day = tonumber(d), hour = 12 })
  end
  return math.floor((time(to) - time(from)) / 86400 + 0.5)
end

-- today / tomorrow / yesterday / MM-DD this year / YYYY-MM-DD, as the CLI's chips.
function M.chip(date, today)
  local offset = days_between(today, date)
  if offset == 0 then
    return "today"
  elseif offset == 1 then
    return "tomorrow"
  elseif offset == -1 then
    return "yesterday"
  elseif date:sub(1, 4) == today:sub(1, 4) then
    return date:sub(6)
  end
  return date
end

function M.format(task, today, width)
  local title = task.title .. (task.recurrence and " ↻" or "")
  local cells = {
    task.id:sub(1, 10),
    task.attention == "white" and " " or "●",
    title .. string.rep(" ", math.max(0, width - vim.fn.strdisplaywidth(title))),
  }
  if task.project then
    table.insert(cells, "#" .. task.project)
  end
  if task.do_date then
    table.insert(cells, "do " .. M.chip(task.do_date, today))
  end
  if task.late_on then
    if task.state == "outstanding" and task.late_on < today then
      table.insert(cells, ("late %dd"):format(days_between(task.late_on, today)))
    else
      table.insert(cells, "late on " .. M.chip(task.late_on, today))
    end
  end
  if task.state ~= "outstanding" then
    table.insert(cells, "[" .. task.state .. "]")
  end
  return (table.concat(cells, "  "):gsub("%s+$", ""))
end

local ATTENTION_GROUP = { red = "HephRed", orange = "HephOrange", blue = "HephBlue" }

local function highlight(buf, tasks)
  local ns = vim.api.nvim_create_namespace("heph-list")
  vim.api.nvim_buf_clear_namespace(buf, ns, 0, -1)
  vim.api.nvim_buf_add_highlight(buf, ns, "Title", 0, 0, -1)
  for index, task in ipairs(tasks) do
    local group = ATTENTION_GROUP[task.attention]
    if group then
      vim.api.nvim_buf_add_highlight(buf, ns, group, index - 1 + HEADER, 12, 15)
    end
  end
end

local function render(buf, state)
  local width = 5
  for _, task in ipairs(state.tasks) do
    width = math.max(width, math.min(60, vim.fn.strdisplaywidth(task.title) + (task.recurrence and 2 or 0)))
  end
  local keys = config.options.list_mappings
  local lines = {
    ("heph %s · %d task%s · %s add  %s done  %s drop  %s context  %s refresh"):format(
      state.spec.label,
      #state.tasks,
      #state.tasks == 1 and "" or "s",
      keys.add or "-",
      keys.done or "-",
      keys.drop or "-",
      keys.open or "-",
      keys.refresh or "-"
    ),
  }
  for _, task in ipairs(state.tasks) do
    table.insert(lines, M.format(task, state.today, width))
  end
  util.set_lines(buf, lines)
  vim.bo[buf].modified = false
  highlight(buf, state.tasks)
end

-- Asks the daemon again and redraws; synchronous when `sync`.
function M.refresh(buf, sync)
  local state = lists[buf]
  if not state or not vim.api.nvim_buf_is_loaded(buf) then
    lists[buf] = nil
    return
  end
  local function apply(tasks, info)
    state.tasks = tasks
    state.today = info and info.today or os.date("%Y-%m-%d")
    render(buf, state)
  end
  if sync then
    local tasks, err = rpc.call(state.spec.method, state.spec.params)
    if err then
      util.error(("cannot %s: %s"):format(state.spec.label, util.describe(err)))
      return
    end
    apply(tasks, rpc.call("daemon.info"))
    return
  end
  rpc.request(state.spec.method, state.spec.params, function(err, tasks)
    if err then
      return
    end
    rpc.request("daemon.info", nil, function(_, info)
      if lists[buf] == state and vim.api.nvim_buf_is_loaded(buf) then
        apply(tasks, info)
      end
    end)
  end)
end

local pending_timer = nil

-- task.changed comes in bursts (a done task and its context doc): refresh once after them.
function M.schedule_refresh()
  if next(lists) == nil then
    return
  end
  if pending_timer then
    pending_timer:stop()
  else
    pending_timer = util.uv.new_timer()
  end
  pending_timer:start(
    20,
    0,
    vim.schedule_wrap(function()
      for buf in pairs(lists) do
        M.refresh(buf, false)
      end
    end)
  )
end

function M.task_at(buf, lnum)
  local state = lists[buf]
  return state and state.tasks[lnum - HEADER] or nil
end

function M.is_list(buf)
  return lists[buf] ~= nil
end

local function map(buf)
  local keys = config.options.list_mappings
  local tasks = require("heph.tasks")
  local function on_task(fn)
    return function()
      local task = M.task_at(buf, vim.api.nvim_win_get_cursor(0)[1])
      if task then
        fn(task)
      else
        util.notify("no task on this line")
      end
    end
  end
  local actions = {
    add = function()
      vim.ui.input({ prompt = "Add task: " }, function(line)
        if line and vim.trim(line) ~= "" then
          tasks.add(line)
          M.refresh(buf, true)
        end
      end)
    end,
    done = on_task(function(task)
      tasks.finish("done", task.id)
      M.refresh(buf, true)
    end),
    drop = on_task(function(task)
      tasks.finish("drop", task.id)
      M.refresh(buf, true)
    end),
    open = on_task(function(task)
      if task.context_id then
        require("heph.buffers").open(task.context_id)
      end
    end),
    show = on_task(function(task)
      tasks.show(task.id)
    end),
    refresh = function()
      M.refresh(buf, true)
    end,
  }
  for name, action in pairs(actions) do
    if keys[name] then
      vim.keymap.set("n", keys[name], action, { buffer = buf, desc = "heph list: " .. name })
    end
  end
end

-- Opens (or shows again) the list buffer for `spec` = {name, method, params, label}.
function M.open(spec)
  require("heph.events").start()
  local name = "heph://" .. spec.name
  local buf = vim.fn.bufnr(name)
  if buf == -1 then
    buf = vim.api.nvim_create_buf(true, true)
    vim.api.nvim_buf_set_name(buf, name)
    vim.bo[buf].buftype = "nofile"
    vim.bo[buf].bufhidden = "hide"
    vim.bo[buf].swapfile = false
    vim.bo[buf].filetype = "heph-list"
    map(buf)
    vim.api.nvim_create_autocmd("BufWipeout", {
      buffer = buf,
      callback = function()
        lists[buf] = nil
      end,
    })
  end
  lists[buf] = { spec = spec, tasks = {}, today = os.date("%Y-%m-%d") }
  vim.api.nvim_win_set_buf(0, buf)
  vim.bo[buf].modifiable = true
  M.refresh(buf, true)
  vim.bo[buf].modifiable = false
  return buf
end

return M
