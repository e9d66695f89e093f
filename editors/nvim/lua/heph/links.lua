-- [[Links]]: the one under the cursor, following it by the daemon's resolution (node.resolve),
-- creating a missing target on request, inserting a link, and listing backlinks.
local util = require("heph.util")
local rpc = require("heph.rpc")
local buffers = require("heph.buffers")
local config = require("heph.config")

local M = {}

-- The `[[…]]` of `line` that covers byte `col` (1-based): its inner text, start and end.
function M.link_at(line, col)
  local from = 1
  while true do
    local s, e, inner = line:find("%[%[([^%[%]\r\n]-)%]%]", from)
    if not s then
      return nil
    end
    local start = (s > 1 and line:sub(s - 1, s - 1) == "!") and s - 1 or s
    if col >= start and col <= e then
      return inner, start, e
    end
    from = e + 1
  end
end

-- The note a link's inner text names: before the label (|) and the heading (#), trimmed, as
-- src/core/wikilinks.ts reads it; nil for a same-note link such as [[#Heading]].
function M.target(inner)
  local ref = inner
  local pipe = inner:find("|", 1, true)
  if pipe then
    ref = inner:sub(1, pipe - 1):gsub("\\$", "")
  end
  local hash = ref:find("#", 1, true)
  if hash then
    ref = ref:sub(1, hash - 1)
  end
  ref = vim.trim(ref)
  if ref == "" then
    return nil
  end
  return ref
end

-- The target of the link under the cursor, or nil.
function M.target_at_cursor()
  local line = vim.api.nvim_get_current_line()
  local col = vim.api.nvim_win_get_cursor(0)[2] + 1
  local inner = M.link_at(line, col)
  return inner and M.target(inner) or nil
end

-- Opens a doc titled `title`, after asking, when nothing answers to it.
function M.offer_create(title, command)
  vim.ui.select({ "Create it", "Cancel" }, {
    prompt = ("No node is called %q. Create a doc with that title?"):format(title),
  }, function(choice)
    if choice ~= "Create it" then
      return
    end
    local node, err = rpc.call("node.create", { kind = "doc", title = title })
    if err then
      util.error("cannot create " .. title .. ": " .. util.describe(err))
      return
    end
    buffers.open(node.id, command)
  end)
end

-- Follows the link under the cursor. False when the cursor is on no link.
function M.follow(command)
  local target = M.target_at_cursor()
  if not target then
    return false
  end
  local node, err = rpc.call("node.resolve", { title = target })
  if err then
    util.error("cannot resolve [[" .. target .. "]]: " .. util.describe(err))
    return true
  end
  if node then
    buffers.open(node.id, command)
  else
    M.offer_create(target, command)
  end
  return true
end

-- <CR> and gf follow a link, and do what they always do anywhere else.
function M.attach(buf)
  local keys = config.options.mappings
  local function map(lhs, fallback)
    if not lhs then
      return
    end
    vim.keymap.set("n", lhs, function()
      if not M.follow() then
        local ok, err = pcall(vim.cmd, "normal! " .. vim.api.nvim_replace_termcodes(fallback, true, false, true))
        if not ok then
          util.error(tostring(err))
        end
      end
    end, { buffer = buf, desc = "heph: follow the [[link]] under the cursor" })
  end
  map(keys.follow, "<CR>")
  map(keys.follow_gf, "gf")
end

-- The text that links to `node`: its title, unless the title would resolve to another node.
function M.link_text(node)
  local resolved = rpc.call("node.resolve", { title = node.title })
  if resolved and resolved.id ~= node.id then
    return ("[[%s|%s]]"):format(node.id, node.title)
  end
  return ("[[%s]]"):format(node.title)
end

-- Inserts a link to a node picked by search, at the cursor.
function M.insert(query)
  local win = vim.api.nvim_get_current_win()
  require("heph.picker").search(query, function(hit)
    if not hit or not vim.api.nvim_win_is_valid(win) then
      return
    end
    vim.api.nvim_set_current_win(win)
    vim.api.nvim_put({ M.link_text(hit) }, "c", true, true)
  end, { prompt = "Link to" })
end

-- Backlinks of the node in `buf` into the quickfix list, each at the line that links.
function M.backlinks(buf)
  local id = vim.b[buf].heph_id
  if not id then
    util.error(":Heph backlinks works in a heph node buffer")
    return
  end
  local links, err = rpc.call("links.back", { id = id })
  if err then
    util.error("cannot list backlinks: " .. util.describe(err))
    return
  end
  local items = {}
  local bodies = {}
  for index, link in ipairs(links) do
    local lnum = 1
    -- Find the line for the first 100 sources; past that, the top of the node will do.
    if link.type == "wiki" and index <= 100 then
      bodies[link.src] = bodies[link.src]
        or rpc.call("node.get", { id = link.src, frontmatter = true })
      local body = bodies[link.src] and bodies[link.src].body or ""
      for number, text in ipairs(vim.split(body, "\n", { plain = true })) do
        if text:find("[[" .. link.target, 1, true) then
          lnum = number
          break
        end
      end
    end
    table.insert(items, {
      filename = buffers.uri(link.src),
      lnum = lnum,
      text = ("%s (%s): %s"):format(
        link.src_title,
        link.type,
        link.type == "wiki" and ("[[" .. link.target .. "]]") or link.type
      ),
    })
  end
  vim.fn.setqflist({}, " ", {
    title = ("Backlinks of %s"):format(vim.b[buf].heph_title or id),
    items = items,
  })
  if #items == 0 then
    util.notify("no backlinks to " .. (vim.b[buf].heph_title or id))
  else
    vim.cmd("copen")
  end
  return items
end

return M
