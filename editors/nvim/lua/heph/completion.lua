-- [[ completion of titles and aliases: an omnifunc (works with no completion plugin), the
-- [[ trigger in node buffers, and a source for nvim-cmp. Candidates come from node.complete:
-- titles and aliases that start with what was typed, then those that contain it.
local rpc = require("heph.rpc")
local config = require("heph.config")

local M = {}

-- Where the link text being typed starts: the 1-based byte after the last unclosed [[ before
-- `col` (0-based cursor column), or nil when the cursor is not inside a link's target.
function M.link_start(before)
  local open = nil
  local from = 1
  while true do
    local s = before:find("[[", from, true)
    if not s then
      break
    end
    open = s
    from = s + 2
  end
  if not open then
    return nil
  end
  local typed = before:sub(open + 2)
  -- Closed already, or past the target (a label or heading): nothing to complete.
  if typed:find("]]", 1, true) or typed:find("[|#%[%]]") then
    return nil
  end
  return open + 2
end

-- Complete-items for `base`; `close` adds the ]] the user has not typed yet.
function M.candidates(base, close)
  local found, err = rpc.call("node.complete", { query = base, limit = config.options.complete_limit })
  if err or not found then
    return {}
  end
  local items = {}
  for _, candidate in ipairs(found) do
    local text = candidate.alias or candidate.title
    table.insert(items, {
      word = text .. (close and "]]" or ""),
      abbr = text,
      menu = candidate.alias and ("alias of " .. candidate.title) or ("[" .. candidate.kind .. "]"),
      info = candidate.id,
      icase = 1,
      dup = 1,
      user_data = { heph_id = candidate.id },
    })
  end
  return items
end

local closing = false

function M.omnifunc(findstart, base)
  if findstart == 1 then
    local line = vim.api.nvim_get_current_line()
    local col = vim.api.nvim_win_get_cursor(0)[2]
    local start = M.link_start(line:sub(1, col))
    if not start then
      return -3 -- not in a link: leave completion quietly
    end
    closing = line:sub(col + 1, col + 2) ~= "]]"
    return start - 1
  end
  -- Asked again as the user types, so the list follows the daemon, not a stale first answer.
  return { words = M.candidates(base, closing), refresh = "always" }
end

-- Starts omni completion from insert mode (after [[ is typed).
function M.open_menu()
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes("<C-x><C-o>", true, false, true), "n", false)
end

-- In a node buffer: the omnifunc, and [[ opening it right away.
function M.attach(buf)
  vim.bo[buf].omnifunc = "v:lua.require'heph.completion'.omnifunc"
  if not config.options.complete_on_brackets then
    return
  end
  vim.api.nvim_create_autocmd("InsertCharPre", {
    buffer = buf,
    callback = function()
      if vim.v.char ~= "[" then
        return
      end
      local col = vim.api.nvim_win_get_cursor(0)[2]
      if vim.api.nvim_get_current_line():sub(col, col) ~= "[" then
        return
      end
      vim.schedule(function()
        if vim.api.nvim_get_mode().mode:sub(1, 1) == "i" and vim.fn.pumvisible() == 0 then
          M.open_menu()
        end
      end)
    end,
  })
end

-- A source for nvim-cmp: require("cmp").register_source("heph", require("heph.completion").cmp_source()).
function M.cmp_source()
  local source = {}
  function source:is_available()
    return vim.b.heph_id ~= nil
  end
  function source:get_trigger_characters()
    return { "[" }
  end
  function source:get_keyword_pattern()
    return [[\%(\[\[\)\@<=[^\]|#]*]]
  end
  function source:complete(params, callback)
    local before = params.context.cursor_before_line
    local start = M.link_start(before)
    if not start then
      callback({ items = {}, isIncomplete = false })
      return
    end
    rpc.request("node.complete", { query = before:sub(start), limit = config.options.complete_limit }, function(err, found)
      local items = {}
      for _, candidate in ipairs((not err and found) or {}) do
        local text = candidate.alias or candidate.title
        table.insert(items, {
          label = text,
          insertText = text .. "]]",
          detail = candidate.alias and ("alias of " .. candidate.title) or candidate.kind,
        })
      end
      callback({ items = items, isIncomplete = true })
    end)
  end
  return source
end

return M
