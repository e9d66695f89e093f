-- Task commands: add, done/drop, show, promote, and which task "the one here" is.
local util = require("heph.util")
local rpc = require("heph.rpc")
local buffers = require("heph.buffers")

local M = {}

local function is_task(id)
  local node = rpc.call("node.resolve", { title = id })
  return node and node.kind == "task" and node.id or nil
end

-- The task the cursor is on, looked for in this order: a list buffer's line, a [[link]] under
-- the cursor that names a task, a [[<task id>]] on the line (a promoted checklist line), the
-- task a task buffer or a show buffer is about, the task whose context doc this buffer is.
function M.task_here()
  local buf = vim.api.nvim_get_current_buf()
  local lists = require("heph.lists")
  if lists.is_list(buf) then
    local task = lists.task_at(buf, vim.api.nvim_win_get_cursor(0)[1])
    return task and task.id or nil
  end
  local target = require("heph.links").target_at_cursor()
  if target then
    local node = rpc.call("node.resolve", { title = target })
    if node and node.kind == "task" then
      return node.id
    end
  end
  for id in vim.api.nvim_get_current_line():gmatch("%[%[([0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]+)%]%]") do
    if util.is_ulid(id) and is_task(id) then
      return id:upper()
    end
  end
  if vim.b[buf].heph_show then
    return vim.b[buf].heph_show
  end
  local id = vim.b[buf].heph_id
  if not id then
    return nil
  end
  if vim.b[buf].heph_kind == "task" then
    return id
  end
  local back = rpc.call("links.back", { id = id }) or {}
  for _, link in ipairs(back) do
    if link.type == "canonical-context" then
      return link.src
    end
  end
  return nil
end

function M.add(line)
  local task, err = rpc.call("task.add", { line = line })
  if err then
    util.error("not added: " .. util.describe(err))
    return nil
  end
  util.notify(("added %s %s"):format(task.id:sub(1, 10), task.title))
  return task
end

-- `verb` is "done", "drop" (or "skip", "reopen"), on `id` or the task here.
function M.finish(verb, id)
  id = id or M.task_here()
  if not id then
    util.error(":Heph " .. verb .. " needs a task: put the cursor on one, or give its id")
    return nil
  end
  local task, err = rpc.call("task." .. verb, { id = id })
  if err then
    util.error(("%s: %s"):format(verb, util.describe(err)))
    return nil
  end
  if task.state == "outstanding" and verb == "done" then
    util.notify(("done: %s; next on %s"):format(task.title, task.do_date or "?"))
  else
    util.notify(("%s: %s"):format(task.state, task.title))
  end
  return task
end

-- A scratch buffer with the task's fields, its context doc as a link, and its log.
function M.show(id)
  id = id or M.task_here()
  if not id then
    util.error(":Heph show needs a task: put the cursor on one, or give its id")
    return nil
  end
  local task, err = rpc.call("task.get", { id = id })
  if err then
    util.error("show: " .. util.describe(err))
    return nil
  end
  local log = rpc.call("log.tail", { id = task.id, limit = 20 }) or {}
  local function field(name, value)
    return ("%-10s %s"):format(name, value == nil and "—" or value)
  end
  local lines = {
    "# " .. task.title,
    "",
    field("id", task.id),
    field("state", task.state),
    field("attention", task.attention),
    field("do", task.do_date),
    field("late on", task.late_on),
    field("recurs", task.recurrence_text),
    field("project", task.project),
    field("task", ("[[%s]]"):format(task.id)),
    field("context", task.context_id and ("[[%s]]"):format(task.context_id) or nil),
    "",
    "## Log",
  }
  for _, entry in ipairs(log) do
    table.insert(lines, ("%s  %s%s"):format(entry.at, entry.kind, entry.text ~= "" and ("  " .. entry.text) or ""))
  end
  local name = "heph://show/" .. task.id
  local buf = vim.fn.bufnr(name)
  if buf == -1 then
    buf = vim.api.nvim_create_buf(true, true)
    vim.api.nvim_buf_set_name(buf, name)
    vim.bo[buf].buftype = "nofile"
    vim.bo[buf].bufhidden = "wipe"
    vim.bo[buf].swapfile = false
  end
  util.set_lines(buf, lines)
  vim.bo[buf].modifiable = false
  vim.bo[buf].filetype = "markdown"
  vim.b[buf].heph_show = task.id
  require("heph.links").attach(buf)
  vim.api.nvim_win_set_buf(0, buf)
  return task
end

local CHECKBOX = "^%s*[-*+]%s+%[ %]"

-- The `- [ ]` line under the cursor becomes a task, linked from the line (task.promote). A
-- buffer with unsaved edits is saved first, so the line number means the same to the daemon.
function M.promote()
  local buf = vim.api.nvim_get_current_buf()
  local id = vim.b[buf].heph_id
  if not id then
    util.error(":Heph promote works on a `- [ ]` line of a heph node buffer")
    return nil
  end
  local lnum = vim.api.nvim_win_get_cursor(0)[1]
  if not vim.api.nvim_get_current_line():match(CHECKBOX) then
    util.error(":Heph promote needs the cursor on an unticked `- [ ]` line")
    return nil
  end
  if vim.bo[buf].modified and not buffers.write(buf, false) then
    return nil
  end
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  local task, err = rpc.call("task.promote", {
    id = id,
    line = lnum - buffers.frontmatter_lines(lines),
    base_updated_at = vim.b[buf].heph_updated_at,
  })
  if err then
    util.error("not promoted: " .. util.describe(err))
    return nil
  end
  buffers.reload(buf)
  util.notify(("promoted to task %s %s"):format(task.id:sub(1, 10), task.title))
  return task
end

return M
