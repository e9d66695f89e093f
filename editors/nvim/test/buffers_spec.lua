-- Node buffers: open, edit, save, frontmatter, conflict, live reload from the CLI.
package.path = vim.fn.getcwd() .. "/editors/nvim/test/?.lua;" .. package.path
local T = require("helpers")
local buffers = require("heph.buffers")

local function doc(title, body)
  return T.rpc("node.create", { kind = "doc", title = title, body = body or "" })
end

T.test("a node opens as heph://node/<id> with its frontmatter, acwrite, unmodified", function()
  local node = doc("Reading list", "- [ ] [[Dune]]\n")
  buffers.open(node.id)
  T.eq(vim.api.nvim_buf_get_name(0), "heph://node/" .. node.id, "name")
  T.eq(T.lines(), { "---", "title: Reading list", "aliases: []", "tags: []", "---", "- [ ] [[Dune]]" }, "lines")
  T.eq(vim.bo.buftype, "acwrite", "buftype")
  T.eq(vim.bo.modified, false, "modified")
  T.eq(vim.bo.filetype, "markdown", "filetype")
end)

T.test(":w saves the body with node.update; the frontmatter's title, aliases and tags apply", function()
  local node = doc("Draft")
  buffers.open(node.id)
  vim.api.nvim_buf_set_lines(0, 0, -1, false, { "---", "title: Final", "aliases: [Last]", "tags: [done]", "---", "Body text" })
  vim.cmd("write")
  local stored = T.rpc("node.get", { id = node.id })
  T.eq({ stored.title, stored.aliases, stored.tags, stored.body }, { "Final", { "Last" }, { "done" }, "Body text\n" }, "stored")
  T.eq(vim.bo.modified, false, "modified after :w")
  T.eq(vim.b.heph_updated_at, stored.updated_at, "base moved to the saved version")
  T.eq(T.lines()[2], "title: Final", "buffer shows what the daemon keeps")
end)

T.test("a task's frontmatter drives its fields: state done closes it", function()
  local task = T.rpc("task.create", { title = "Return books" })
  buffers.open(task.id)
  local lines = T.lines()
  for i, line in ipairs(lines) do
    lines[i] = line == "state: outstanding" and "state: done"
      or line == "attention: white" and "attention: red"
      or line
  end
  vim.api.nvim_buf_set_lines(0, 0, -1, false, lines)
  vim.cmd("write")
  local after = T.rpc("task.get", { id = task.id })
  T.eq({ after.state, after.attention }, { "done", "red" }, "task fields")
end)

T.test("a save against a newer version is refused: both versions kept, nothing lost", function()
  local node = doc("Shared", "original\n")
  buffers.open(node.id)
  local mine = vim.api.nvim_get_current_buf()
  -- Someone else (the CLI) writes meanwhile; the buffer is modified, so it is not reloaded.
  vim.api.nvim_buf_set_lines(mine, -2, -1, false, { "my edit" })
  T.rpc("node.update", { id = node.id, body = "their edit\n" })
  vim.cmd("write")
  T.eq(T.rpc("node.get", { id = node.id }).body, "their edit\n", "the daemon keeps theirs")
  T.eq(vim.api.nvim_get_current_buf(), mine, "still in my buffer")
  T.eq(vim.bo[mine].modified, true, "mine is still modified")
  T.eq(T.lines(mine)[#T.lines(mine)], "my edit", "my edit is still here")
  local theirs = vim.fn.bufnr("heph://conflict/" .. node.id)
  T.ok(theirs ~= -1, "the daemon's version has a buffer")
  T.ok(#vim.fn.win_findbuf(theirs) > 0, "shown in a split")
  T.eq(T.lines(theirs)[#T.lines(theirs)], "their edit", "the daemon's version")
  T.ok(T.last_message():find("not saved", 1, true), "the message says so")
  -- :w again is still refused; :w! saves over the version that was shown.
  vim.cmd("write")
  T.eq(T.rpc("node.get", { id = node.id }).body, "their edit\n", "still theirs after :w")
  vim.cmd("write!")
  T.eq(T.rpc("node.get", { id = node.id }).body, "my edit\n", "mine after :w!")
  T.eq(vim.fn.bufnr("heph://conflict/" .. node.id), -1, "the conflict buffer is gone")
end)

T.test("a change made with the heph CLI reloads an open, unmodified buffer", function()
  local node = doc("Live", "before\n")
  buffers.open(node.id)
  local buf = vim.api.nvim_get_current_buf()
  T.heph({ "tag", "add", node.id, "fresh" })
  T.wait(function()
    return vim.tbl_contains(T.lines(buf), "  - fresh")
  end, "the buffer to show the CLI's tag")
  T.eq(vim.bo[buf].modified, false, "still unmodified")
end)

T.test("a change from elsewhere to a modified buffer warns and keeps the edits", function()
  local node = doc("Busy", "text\n")
  buffers.open(node.id)
  local buf = vim.api.nvim_get_current_buf()
  vim.api.nvim_buf_set_lines(buf, -1, -1, false, { "unsaved" })
  T.heph({ "tag", "add", node.id, "elsewhere" })
  T.wait(function()
    return (T.last_message() or ""):find("unsaved edits", 1, true) ~= nil
  end, "the warning")
  T.eq(T.lines(buf)[#T.lines(buf)], "unsaved", "edits kept")
end)

T.run()
