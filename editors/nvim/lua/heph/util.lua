-- Small helpers shared by the heph modules: messages, text <-> lines, ids.
local M = {}

M.uv = vim.uv or vim.loop

local ULID = "^[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]+$"

function M.is_ulid(text)
  return type(text) == "string" and #text == 26 and text:match(ULID) ~= nil
end

-- Messages go through vim.notify (so a notification plugin shows them), always scheduled:
-- callers may be in a libuv callback, where most of the API is off limits.
function M.notify(message, level)
  vim.schedule(function()
    vim.notify("heph: " .. message, level or vim.log.levels.INFO)
  end)
end

function M.warn(message)
  M.notify(message, vim.log.levels.WARN)
end

function M.error(message)
  M.notify(message, vim.log.levels.ERROR)
end

-- An RPC error (a table with message) or a plain string, as one line for the user.
function M.describe(err)
  if type(err) == "table" then
    return err.message or vim.inspect(err)
  end
  return tostring(err)
end

-- Body text to buffer lines; `eol` tells whether the text ended with a newline.
function M.to_lines(text)
  local lines = vim.split(text, "\n", { plain = true })
  local eol = false
  if #lines > 1 and lines[#lines] == "" then
    table.remove(lines)
    eol = true
  end
  return lines, eol
end

function M.from_lines(lines, eol)
  local text = table.concat(lines, "\n")
  if eol then
    text = text .. "\n"
  end
  return text
end

-- Lines of a buffer as the text node.update gets.
function M.buffer_text(buf)
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  return M.from_lines(lines, vim.b[buf].heph_eol ~= false)
end

-- Replaces a buffer's lines, keeping each window's cursor where it was (clamped).
function M.set_lines(buf, lines)
  local cursors = {}
  for _, win in ipairs(vim.fn.win_findbuf(buf)) do
    cursors[win] = vim.api.nvim_win_get_cursor(win)
  end
  local modifiable = vim.bo[buf].modifiable
  vim.bo[buf].modifiable = true
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].modifiable = modifiable
  local count = vim.api.nvim_buf_line_count(buf)
  for win, cursor in pairs(cursors) do
    if vim.api.nvim_win_is_valid(win) then
      pcall(vim.api.nvim_win_set_cursor, win, { math.min(cursor[1], count), cursor[2] })
    end
  end
end

-- Every loaded buffer for which pred(buf) is true.
function M.buffers(pred)
  local found = {}
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and pred(buf) then
      table.insert(found, buf)
    end
  end
  return found
end

return M
