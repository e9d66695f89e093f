-- Picking a node by search: live in telescope, fzf-lua or snacks.nvim when one is installed
-- (results follow the query as it is typed), else vim.ui.select over one search.
local util = require("heph.util")
local rpc = require("heph.rpc")
local config = require("heph.config")

local M = {}

function M.search_hits(query)
  if not query or vim.trim(query) == "" then
    return {}
  end
  return rpc.call("search", { query = query, limit = config.options.search_limit }) or {}
end

local function label(hit)
  return ("%s  [%s]  %s"):format(hit.title, hit.kind, hit.snippet or "")
end

local function has(module)
  return pcall(require, module)
end

-- Which picker to use: the option, or the first one installed.
function M.backend()
  local choice = config.options.picker
  if choice ~= "auto" then
    return choice
  end
  if has("telescope") then
    return "telescope"
  elseif has("fzf-lua") then
    return "fzf-lua"
  elseif has("snacks") and _G.Snacks and _G.Snacks.picker then
    return "snacks"
  end
  return "select"
end

local function with_select(query, on_choice, opts)
  local function pick(text)
    if not text then
      return
    end
    local hits = M.search_hits(text)
    if #hits == 0 then
      util.notify("nothing found for " .. text)
      return
    end
    vim.ui.select(hits, { prompt = (opts.prompt or "heph") .. ": " .. text, format_item = label }, on_choice)
  end
  if query and query ~= "" then
    pick(query)
  else
    vim.ui.input({ prompt = (opts.prompt or "Search heph") .. ": " }, pick)
  end
end

local function with_telescope(query, on_choice, opts)
  local pickers = require("telescope.pickers")
  local finders = require("telescope.finders")
  local sorters = require("telescope.sorters")
  local actions = require("telescope.actions")
  local action_state = require("telescope.actions.state")
  pickers
    .new({}, {
      prompt_title = opts.prompt or "heph search",
      default_text = query or "",
      finder = finders.new_dynamic({
        fn = M.search_hits,
        entry_maker = function(hit)
          return { value = hit, display = label(hit), ordinal = hit.title }
        end,
      }),
      -- The daemon ranks the hits; telescope keeps its order.
      sorter = sorters.empty(),
      attach_mappings = function(prompt_buf)
        actions.select_default:replace(function()
          local entry = action_state.get_selected_entry()
          actions.close(prompt_buf)
          on_choice(entry and entry.value)
        end)
        return true
      end,
    })
    :find()
end

local function with_fzf(query, on_choice, opts)
  local hits_by_line = {}
  require("fzf-lua").fzf_live(function(typed)
    local text = type(typed) == "table" and typed[1] or typed
    local lines = {}
    for _, hit in ipairs(M.search_hits(text)) do
      local line = hit.id .. "\t" .. label(hit)
      hits_by_line[line] = hit
      table.insert(lines, line)
    end
    return lines
  end, {
    prompt = (opts.prompt or "heph") .. "> ",
    query = query,
    fzf_opts = { ["--delimiter"] = "\t", ["--with-nth"] = "2.." },
    actions = {
      ["default"] = function(selected)
        on_choice(selected and hits_by_line[selected[1]])
      end,
    },
  })
end

local function with_snacks(query, on_choice, opts)
  _G.Snacks.picker.pick({
    title = opts.prompt or "heph search",
    search = query,
    live = true,
    finder = function(_, ctx)
      local items = {}
      for _, hit in ipairs(M.search_hits(ctx.filter.search)) do
        table.insert(items, { text = label(hit), hit = hit })
      end
      return items
    end,
    format = "text",
    confirm = function(picker, item)
      picker:close()
      on_choice(item and item.hit)
    end,
  })
end

local backends = { telescope = with_telescope, ["fzf-lua"] = with_fzf, snacks = with_snacks, select = with_select }

-- on_choice(hit) with a search hit {id, kind, title, snippet}, or nil when cancelled.
function M.search(query, on_choice, opts)
  opts = opts or {}
  local name = M.backend()
  local run = backends[name] or with_select
  local ok, err = pcall(run, query, on_choice, opts)
  if not ok and run ~= with_select then
    util.warn(("the %s picker failed (%s); using vim.ui.select"):format(name, tostring(err)))
    with_select(query, on_choice, opts)
  end
end

return M
