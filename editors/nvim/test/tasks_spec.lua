-- Tasks: :Heph next and list buffers (a, d, x, <CR>, r, live refresh), :Heph add, done, show,
-- promote, view and list.
package.path = vim.fn.getcwd() .. "/editors/nvim/test/?.lua;" .. package.path
local T = require("helpers")
local buffers = require("heph.buffers")
local lists = require("heph.lists")

local function press(keys)
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes(keys, true, false, true), "x", false)
end

local function row_of(title)
  for lnum, line in ipairs(T.lines()) do
    if line:find(title, 1, true) then
      return lnum
    end
  end
  return nil
end

local rent = T.rpc("task.add", { line = "Pay rent p1 #Home" })
local call = T.rpc("task.add", { line = "Call mom" })
local later = T.rpc("task.add", { line = "Sort photos p3" })

T.test(":Heph next lists what next returns, in its order, as the CLI's table", function()
  vim.cmd("Heph next")
  T.eq(vim.api.nvim_buf_get_name(0), "heph://next", "name")
  local lines = T.lines()
  T.ok(lines[1]:find("^heph next · 2 tasks"), "header: " .. lines[1])
  T.ok(lines[2]:find(rent.id:sub(1, 10) .. "  ●  Pay rent", 1, true), "red first: " .. lines[2])
  T.ok(lines[2]:find("#Home", 1, true), "its project")
  T.ok(lines[3]:find("Call mom", 1, true), "then white")
  T.eq(row_of("Sort photos"), nil, "blue is not next")
  T.eq(vim.bo.modifiable, false, "read-only")
end)

T.test("d on a row completes that task; the list refreshes", function()
  vim.cmd("Heph next")
  vim.api.nvim_win_set_cursor(0, { row_of("Call mom"), 0 })
  press("d")
  T.eq(T.rpc("task.get", { id = call.id }).state, "done", "done in the store")
  T.eq(row_of("Call mom"), nil, "gone from the list")
end)

T.test("a adds a quick-add line, x drops, <CR> opens the context doc, r refreshes", function()
  vim.cmd("Heph next")
  vim.ui.input = function(_, on_confirm)
    on_confirm("Water plants every 3 days p2")
  end
  press("a")
  local row = row_of("Water plants")
  T.ok(row, "added and shown")
  local added = lists.task_at(vim.api.nvim_get_current_buf(), row)
  T.eq({ added.attention, added.recurrence }, { "orange", "FREQ=DAILY;INTERVAL=3" }, "parsed as quick add")
  vim.api.nvim_win_set_cursor(0, { row, 0 })
  press("<CR>")
  T.eq(vim.b.heph_id, added.context_id, "the context doc is open")
  vim.cmd("Heph next")
  vim.api.nvim_win_set_cursor(0, { row_of("Water plants"), 0 })
  press("x")
  T.eq(T.rpc("task.get", { id = added.id }).state, "dropped", "dropped")
  T.rpc("task.create", { title = "Added behind its back" })
  press("r")
  T.ok(row_of("Added behind its back"), "r shows it")
end)

T.test("an open list refreshes by itself when the CLI adds or completes a task", function()
  vim.cmd("Heph next")
  local buf = vim.api.nvim_get_current_buf()
  T.heph({ "add", "Renew passport p2" })
  T.wait(function()
    return row_of("Renew passport") ~= nil
  end, "the CLI's task in the list")
  local id = lists.task_at(buf, row_of("Renew passport")).id
  T.heph({ "done", id })
  T.wait(function()
    return row_of("Renew passport") == nil
  end, "the done task to leave the list")
end)

T.test(":Heph add, and :Heph done on a task buffer and on its context doc", function()
  vim.cmd("Heph add Book flights friday #Travel")
  local task = T.rpc("list", { project = "Travel" })[1]
  T.eq(task.title, "Book flights", "added")
  buffers.open(task.id)
  vim.cmd("Heph done")
  T.eq(T.rpc("task.get", { id = task.id }).state, "done", "done from its own buffer")
  local other = T.rpc("task.add", { line = "Clean gutters" })
  buffers.open(other.context_id)
  vim.cmd("Heph done")
  T.eq(T.rpc("task.get", { id = other.id }).state, "done", "done from its context doc")
end)

T.test(":Heph promote makes the `- [ ]` line a task linked from the line; :Heph done acts on it", function()
  local doc = T.rpc("node.create", {
    kind = "doc",
    title = "Trip plan",
    body = "Before we go:\n- [ ] Buy adapters tomorrow p2\n- [ ] Pack\n",
  })
  buffers.open(doc.id)
  local buf = vim.api.nvim_get_current_buf()
  -- An unsaved edit above the line: promote saves first, so the line numbers agree.
  vim.api.nvim_buf_set_lines(buf, 5, 5, false, { "(edited before promoting)" })
  vim.api.nvim_win_set_cursor(0, { 8, 0 })
  T.eq(vim.api.nvim_get_current_line(), "- [ ] Buy adapters tomorrow p2", "the cursor line")
  vim.cmd("Heph promote")
  local stored = T.rpc("node.get", { id = doc.id })
  local id = stored.body:match("Buy adapters tomorrow p2 %[%[(%w+)%]%]")
  T.ok(id, "the line links the task: " .. stored.body)
  local task = T.rpc("task.get", { id = id })
  T.eq({ task.title, task.attention }, { "Buy adapters", "orange" }, "quick-add parsed")
  T.eq(T.lines(buf)[8], "- [ ] Buy adapters tomorrow p2 [[" .. id .. "]]", "the buffer shows it")
  T.eq(vim.bo[buf].modified, false, "saved")
  vim.api.nvim_win_set_cursor(0, { 8, 0 })
  vim.cmd("Heph done")
  T.eq(T.rpc("task.get", { id = id }).state, "done", "done from the promoted line")
  vim.api.nvim_win_set_cursor(0, { 9, 0 })
  T.eq(vim.api.nvim_get_current_line(), "- [ ] Pack", "next line")
  T.result("promoted", { doc = doc.id, task = id })
end)

T.test(":Heph show lists a task's fields and log, with its context as a link", function()
  local task = T.rpc("task.add", { line = "Fix bike p1" })
  T.rpc("log.append", { id = task.id, text = "ordered a chain" })
  vim.cmd("Heph show " .. task.id)
  local text = table.concat(T.lines(), "\n")
  T.ok(text:find("# Fix bike", 1, true), "title")
  T.ok(text:find("attention  red", 1, true), "attention")
  T.ok(text:find("note  ordered a chain", 1, true), "log")
  T.ok(text:find("[[" .. task.context_id .. "]]", 1, true), "context link")
end)

T.test(":Heph view and :Heph list with filters", function()
  vim.cmd("Heph view ondeck")
  T.eq(vim.api.nvim_buf_get_name(0), "heph://view/ondeck", "name")
  T.ok(row_of("Sort photos"), "the blue task is on deck")
  vim.cmd("Heph list all #Home")
  T.ok(row_of("Pay rent"), "Home's task")
  vim.cmd("Heph list state=done")
  T.ok(row_of("Call mom"), "done tasks")
  T.ok(row_of("[done]"), "marked done")
end)

T.result("tasks", { rent = rent.id, later = later.id })
T.run()
