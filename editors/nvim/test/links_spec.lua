-- Links: follow by the daemon's resolution, create a missing target, [[ completion, backlinks,
-- :Heph link, and the :Heph sub-command completion.
package.path = vim.fn.getcwd() .. "/editors/nvim/test/?.lua;" .. package.path
local T = require("helpers")
local buffers = require("heph.buffers")
local completion = require("heph.completion")

local function doc(title, body, aliases)
  return T.rpc("node.create", { kind = "doc", title = title, body = body or "", aliases = aliases })
end

local garden = doc("Vegetable garden", "Beds and [[Compost]].\n", { "The plot" })
local compost = doc("Compost heap", "", { "Compost" })
local plan = doc("Spring plan", "See [[the plot|our plot]] and [[Seeds#Order]].\n")

local function cursor_on(text)
  for lnum, line in ipairs(T.lines()) do
    local col = line:find(text, 1, true)
    if col then
      vim.api.nvim_win_set_cursor(0, { lnum, col - 1 })
      return
    end
  end
  error("no line has " .. text)
end

T.test("<CR> on a [[link]] follows it by node.resolve (alias, label and all)", function()
  buffers.open(plan.id)
  cursor_on("our plot")
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes("<CR>", true, false, true), "x", false)
  T.eq(vim.b.heph_id, garden.id, "followed [[the plot|our plot]] to the garden")
  cursor_on("Compost")
  vim.cmd("normal gf")
  T.eq(vim.b.heph_id, compost.id, "gf followed [[Compost]] to the heap, by its alias")
end)

T.test("<CR> off a link keeps its usual meaning", function()
  buffers.open(plan.id)
  vim.api.nvim_win_set_cursor(0, { 1, 0 })
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes("<CR>", true, false, true), "x", false)
  T.eq(vim.api.nvim_win_get_cursor(0)[1], 2, "moved down a line")
  T.eq(vim.b.heph_id, plan.id, "same buffer")
end)

T.test("a missing target asks, then creates a doc with that title and opens it", function()
  buffers.open(plan.id)
  cursor_on("Seeds#Order")
  local asked
  vim.ui.select = function(items, opts, on_choice)
    asked = opts.prompt
    on_choice(items[1])
  end
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes("<CR>", true, false, true), "x", false)
  T.ok(asked and asked:find("Seeds", 1, true), "asked about Seeds")
  local seeds = T.rpc("node.resolve", { title = "Seeds" })
  T.ok(seeds, "Seeds exists now")
  T.eq(vim.b.heph_id, seeds.id, "and is open")
  local back = T.rpc("links.back", { id = seeds.id })
  T.eq(back[1].src, plan.id, "the link resolved to it")
end)

T.test("declining creates nothing", function()
  local body = doc("Lonely", "[[Nowhere at all]]\n")
  buffers.open(body.id)
  cursor_on("Nowhere")
  T.answer_select(function()
    return nil
  end)
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes("<CR>", true, false, true), "x", false)
  T.eq(T.rpc("node.resolve", { title = "Nowhere at all" }), nil, "nothing created")
  T.eq(vim.b.heph_id, body.id, "still here")
end)

T.test("[[ completion offers titles and aliases from the daemon", function()
  buffers.open(plan.id)
  T.eq(vim.bo.omnifunc, "v:lua.require'heph.completion'.omnifunc", "omnifunc set")
  vim.api.nvim_buf_set_lines(0, -1, -1, false, { "More: [[Comp" })
  vim.api.nvim_win_set_cursor(0, { #T.lines(), #"More: [[Comp" })
  T.eq(completion.omnifunc(1, ""), #"More: [[", "completion starts after [[")
  local result = completion.omnifunc(0, "Comp")
  local words = vim.tbl_map(function(item)
    return item.word
  end, result.words)
  T.eq({ words[1], words[2] }, { "Compost]]", "Compost heap]]" }, "alias and title first, closed with ]]")
  T.eq(result.words[1].menu, "alias of Compost heap", "alias says whose")
  local search = completion.omnifunc(0, "garden")
  T.contains(vim.tbl_map(function(item)
    return item.abbr
  end, search.words), "Vegetable garden", "a word inside a title, by search")
  vim.api.nvim_buf_set_lines(0, -1, -1, false, { "no link here" })
  vim.api.nvim_win_set_cursor(0, { #T.lines(), 5 })
  T.eq(completion.omnifunc(1, ""), -3, "outside a link: no completion")
end)

T.test("in insert mode, [[ opens the completion, and <C-x><C-o> completes from the daemon", function()
  buffers.open(plan.id)
  local opened = false
  local open_menu = completion.open_menu
  local keys = vim.api.nvim_replace_termcodes("Compost h<C-x><C-o><Esc>", true, false, true)
  -- Insert mode stays on ("x!") until these keys, typed once [[ opened the menu, end it.
  completion.open_menu = function()
    opened = true
    vim.api.nvim_feedkeys(keys, "t", false)
  end
  local guard = vim.defer_fn(function()
    vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes("<Esc>", true, false, true), "t", false)
  end, 10000)
  vim.api.nvim_win_set_cursor(0, { #T.lines(), 0 })
  vim.api.nvim_feedkeys("oSee [[", "tx!", false)
  completion.open_menu = open_menu
  guard:stop()
  T.ok(opened, "[[ opened the completion menu")
  T.eq(T.lines()[#T.lines()], "See [[Compost heap]]", "completed and closed")
end)

T.test(":Heph backlinks fills the quickfix list with the linking lines", function()
  buffers.open(garden.id)
  vim.cmd("Heph backlinks")
  local list = vim.fn.getqflist({ items = 1, title = 1 })
  T.eq(list.title, "Backlinks of Vegetable garden", "title")
  T.eq(#list.items, 1, "one backlink")
  T.eq(vim.api.nvim_buf_get_name(list.items[1].bufnr), "heph://node/" .. plan.id, "from the plan")
  T.eq(list.items[1].lnum, 6, "at the line after the frontmatter")
end)

T.test(":Heph link inserts a link to a searched node", function()
  local target = doc("Tomato varieties", "Cherry, beefsteak.\n")
  buffers.open(plan.id)
  vim.api.nvim_win_set_cursor(0, { #T.lines(), 0 })
  T.answer_select(function(items)
    return items[1]
  end)
  vim.cmd("Heph link tomato")
  T.ok(T.lines()[#T.lines()]:find("[[Tomato varieties]]", 1, true), "inserted: " .. T.lines()[#T.lines()])
  T.eq(T.rpc("node.resolve", { title = "Tomato varieties" }).id, target.id, "it resolves to the pick")
end)

T.test(":Heph completes its sub-commands and their arguments", function()
  local names = vim.fn.getcompletion("Heph ", "cmdline")
  for _, name in ipairs({ "today", "journal", "doc", "search", "next", "list", "view", "add", "done", "show", "promote", "link", "backlinks" }) do
    T.contains(names, name, "sub-commands")
  end
  T.eq(vim.fn.getcompletion("Heph view o", "cmdline"), { "ondeck" }, "view names")
  T.contains(vim.fn.getcompletion("Heph doc Veg", "cmdline"), "Vegetable garden", "doc titles")
end)

T.test(":Heph doc opens a doc by title, creating it when none has it; today and journal", function()
  vim.cmd("Heph doc Vegetable garden")
  T.eq(vim.b.heph_id, garden.id, "found by title")
  vim.cmd("Heph doc Brand new page")
  T.eq(vim.b.heph_title, "Brand new page", "created")
  vim.cmd("Heph today")
  local today = T.rpc("daemon.info").today
  T.eq(vim.b.heph_title, today, "today's journal")
  vim.cmd("Heph journal 2026-01-02")
  T.eq({ vim.b.heph_title, vim.b.heph_kind }, { "2026-01-02", "journal" }, "a date's journal")
end)

T.run()
