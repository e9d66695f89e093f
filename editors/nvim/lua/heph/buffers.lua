-- Node buffers, heph://node/<id>: read with node.get (frontmatter block on top), saved with
-- node.update against the version that was read (base_updated_at). A save against a newer
-- version is refused by the daemon; the daemon's version is then shown in a split and the
-- user's edits stay in their buffer, unsaved: nothing is lost on either side.
local util = require("heph.util")
local rpc = require("heph.rpc")

local M = {}

local PREFIX = "heph://node/"

function M.uri(id)
  return PREFIX .. id
end

function M.id_of(name)
  return name:match("^heph://node/([0-9A-Za-z]+)")
end

function M.is_node_buffer(buf)
  return vim.b[buf].heph_id ~= nil
end

-- Buffers showing node `id`.
function M.buffers_of(id)
  return util.buffers(function(buf)
    return vim.b[buf].heph_id == id
  end)
end

-- Opens node `id` in the current window (the BufReadCmd does the reading).
function M.open(id, command)
  vim.cmd((command or "edit") .. " " .. vim.fn.fnameescape(M.uri(id)))
end

-- Lines of the leading frontmatter block (both --- lines included), 0 without one.
function M.frontmatter_lines(lines)
  if lines[1] ~= "---" then
    return 0
  end
  for i = 2, #lines do
    if lines[i] == "---" or lines[i] == "..." then
      return i
    end
  end
  return 0
end

-- Puts a node (from node.get with frontmatter) in `buf` and makes it the saved state.
function M.fill(buf, node, opts)
  local lines, eol = util.to_lines(node.body)
  local text = util.from_lines(lines, eol)
  if opts and opts.first then
    -- Reading is not an edit: nothing to undo back to an empty buffer.
    local levels = vim.bo[buf].undolevels
    vim.bo[buf].undolevels = -1
    util.set_lines(buf, lines)
    vim.bo[buf].undolevels = levels
  elseif util.buffer_text(buf) ~= text then
    util.set_lines(buf, lines)
  end
  vim.b[buf].heph_id = node.id
  vim.b[buf].heph_kind = node.kind
  vim.b[buf].heph_title = node.title
  vim.b[buf].heph_updated_at = node.updated_at
  vim.b[buf].heph_eol = eol
  vim.b[buf].heph_text = text
  vim.b[buf].heph_conflict = nil
  vim.b[buf].heph_warned = nil
  vim.b[buf].heph_deleted = node.deleted_at ~= nil or nil
  vim.bo[buf].modified = false
end

local function prepare(buf)
  vim.bo[buf].buftype = "acwrite"
  vim.bo[buf].swapfile = false
  vim.bo[buf].bufhidden = "hide"
end

-- BufReadCmd heph://node/*
function M.read(buf)
  require("heph.events").start()
  prepare(buf)
  local id = M.id_of(vim.api.nvim_buf_get_name(buf))
  if not id then
    util.error("not a node address: " .. vim.api.nvim_buf_get_name(buf))
    return
  end
  local node, err = rpc.call("node.get", { id = id, frontmatter = true })
  if err then
    vim.b[buf].heph_error = util.describe(err)
    util.error("cannot read " .. id .. ": " .. util.describe(err))
    return
  end
  M.fill(buf, node, { first = true })
  if vim.bo[buf].filetype ~= "markdown" then
    vim.bo[buf].filetype = "markdown"
  end
  require("heph.links").attach(buf)
  require("heph.completion").attach(buf)
  if require("heph.config").options.lsp then
    require("heph.lsp").attach(buf)
  end
end

local function conflict_buffer(id)
  local name = "heph://conflict/" .. id
  local existing = vim.fn.bufnr(name)
  if existing ~= -1 then
    return existing
  end
  local buf = vim.api.nvim_create_buf(false, true)
  vim.api.nvim_buf_set_name(buf, name)
  vim.bo[buf].buftype = "nofile"
  vim.bo[buf].bufhidden = "wipe"
  vim.bo[buf].swapfile = false
  return buf
end

-- The daemon has a newer version than the one `buf` was read from: show it beside.
function M.show_conflict(buf, current)
  local theirs = rpc.call("node.get", { id = current.id, frontmatter = true }) or current
  vim.b[buf].heph_conflict = theirs.updated_at
  local scratch = conflict_buffer(theirs.id)
  util.set_lines(scratch, (util.to_lines(theirs.body)))
  vim.bo[scratch].filetype = "markdown"
  vim.bo[scratch].modifiable = false
  vim.b[scratch].heph_conflict_of = theirs.id
  if #vim.fn.win_findbuf(scratch) == 0 then
    local here = vim.api.nvim_get_current_win()
    vim.cmd("belowright split")
    vim.api.nvim_win_set_buf(0, scratch)
    vim.api.nvim_set_current_win(here)
  end
  util.warn(
    ("%s changed in hephd since you opened it (now %s), so your version was not saved. The daemon's version is in the split (%s); your edits are still here, unsaved. Bring them together, then :w! saves over the version shown, or :Heph reload takes the daemon's."):format(
      theirs.title,
      theirs.updated_at,
      "heph://conflict/" .. theirs.id
    )
  )
end

local function close_conflict(id)
  local scratch = vim.fn.bufnr("heph://conflict/" .. id)
  if scratch ~= -1 then
    pcall(vim.api.nvim_buf_delete, scratch, { force = true })
  end
end

-- BufWriteCmd heph://node/*; `force` (:w!) saves over the daemon version shown in a conflict.
function M.write(buf, force)
  local id = vim.b[buf].heph_id
  if not id then
    util.error("this buffer was not read from hephd, so it cannot be saved there")
    return false
  end
  local text = util.buffer_text(buf)
  if text == vim.b[buf].heph_text and not force then
    vim.bo[buf].modified = false
    util.notify("no changes")
    return true
  end
  local base = vim.b[buf].heph_updated_at
  if force and vim.b[buf].heph_conflict then
    base = vim.b[buf].heph_conflict
  end
  vim.b[buf].heph_saving = true
  local saved, err = rpc.call("node.update", { id = id, body = text, base_updated_at = base })
  vim.b[buf].heph_saving = false
  if err then
    local data = err.data or {}
    if data.kind == "conflict" and data.current then
      M.show_conflict(buf, data.current)
    else
      util.error("not saved: " .. util.describe(err))
    end
    return false
  end
  -- The daemon applied the block (trimmed, re-ordered, a task's fields): show what it keeps.
  local fresh = rpc.call("node.get", { id = id, frontmatter = true })
  M.fill(buf, fresh or vim.tbl_extend("force", saved, { body = text }))
  close_conflict(id)
  vim.api.nvim_echo({ { ('"%s" saved to hephd (%s)'):format(saved.title, saved.updated_at) } }, false, {})
  return true
end

-- Drops unsaved edits and takes the daemon's version.
function M.reload(buf)
  local id = vim.b[buf].heph_id
  if not id then
    return
  end
  local node, err = rpc.call("node.get", { id = id, frontmatter = true })
  if err then
    util.error("cannot reload: " .. util.describe(err))
    return
  end
  M.fill(buf, node)
  close_conflict(id)
end

-- node.changed from the daemon: reload what is unmodified, warn about what is not.
function M.on_node_changed(params)
  for _, buf in ipairs(M.buffers_of(params.id)) do
    local base = vim.b[buf].heph_updated_at or ""
    if not vim.b[buf].heph_saving and params.updated_at > base then
      if params.deleted then
        vim.b[buf].heph_deleted = true
        util.warn(("%s was deleted in hephd; this buffer keeps its text"):format(params.title))
      elseif vim.bo[buf].modified then
        if vim.b[buf].heph_warned ~= params.updated_at then
          vim.b[buf].heph_warned = params.updated_at
          util.warn(
            ("%s changed in hephd while you have unsaved edits; :w will show both versions"):format(
              params.title
            )
          )
        end
      else
        rpc.request("node.get", { id = params.id, frontmatter = true }, function(err, node)
          if err or not vim.api.nvim_buf_is_loaded(buf) then
            return
          end
          -- Still unmodified, and still older than what came back?
          if not vim.bo[buf].modified and node.updated_at > (vim.b[buf].heph_updated_at or "") then
            M.fill(buf, node)
          end
        end)
      end
    end
  end
end

return M
