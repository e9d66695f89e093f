-- An in-process language server for node buffers (Neovim 0.10+, vim.lsp.start with a Lua
-- `cmd`): definition follows a [[link]] (node.resolve), completion offers titles and aliases
-- (node.complete), references are backlinks (links.back), and the buffer's unresolved
-- [[links]] are diagnostics. Diagnostics come from links.out of the node (its wiki links whose
-- dst is null) rather than links.unresolved, which lists every unresolved target in the store.
local util = require("heph.util")
local rpc = require("heph.rpc")
local links = require("heph.links")
local completion = require("heph.completion")
local config = require("heph.config")

local M = {}

local NAME = "heph"

function M.available()
  return vim.fn.has("nvim-0.10") == 1 and vim.lsp and vim.lsp.start ~= nil
end

local function line_of(buf, row)
  return vim.api.nvim_buf_get_lines(buf, row, row + 1, false)[1] or ""
end

-- LSP positions count UTF-16 code units; Lua strings are bytes.
local function byte_col(line, character)
  local ok, col = pcall(vim.str_byteindex, line, character, true)
  return ok and col or character
end

local function node_location(id)
  local zero = { line = 0, character = 0 }
  return { uri = "heph://node/" .. id, range = { start = zero, ["end"] = zero } }
end

local function diagnostics(buf, publish)
  local id = vim.b[buf].heph_id
  if not id then
    return
  end
  rpc.request("links.out", { id = id }, function(err, out)
    if err or not vim.api.nvim_buf_is_loaded(buf) then
      return
    end
    local found = {}
    local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
    for _, link in ipairs(out) do
      if link.type == "wiki" and link.dst == nil then
        for row, text in ipairs(lines) do
          local s, e = text:find("[[" .. link.target, 1, true)
          if s then
            table.insert(found, {
              range = {
                start = { line = row - 1, character = vim.str_utfindex(text, s - 1) },
                ["end"] = { line = row - 1, character = vim.str_utfindex(text, e) },
              },
              severity = 3,
              source = NAME,
              message = ("no node is called %q yet (<CR> on it creates one)"):format(link.target),
            })
          end
        end
      end
    end
    publish({ uri = vim.uri_from_bufnr(buf), diagnostics = found })
  end)
end

local handlers = {}

function handlers.initialize(_, callback)
  callback(nil, {
    capabilities = {
      definitionProvider = true,
      referencesProvider = true,
      completionProvider = { triggerCharacters = { "[" } },
      textDocumentSync = { openClose = true, change = 1, save = true },
    },
    serverInfo = { name = NAME },
  })
end

handlers["textDocument/definition"] = function(params, callback)
  local buf = vim.uri_to_bufnr(params.textDocument.uri)
  local line = line_of(buf, params.position.line)
  local inner = links.link_at(line, byte_col(line, params.position.character) + 1)
  local target = inner and links.target(inner)
  if not target then
    return callback(nil, nil)
  end
  rpc.request("node.resolve", { title = target }, function(err, node)
    callback(nil, (not err and node) and node_location(node.id) or nil)
  end)
end

handlers["textDocument/references"] = function(params, callback)
  local id = vim.b[vim.uri_to_bufnr(params.textDocument.uri)].heph_id
  if not id then
    return callback(nil, {})
  end
  rpc.request("links.back", { id = id }, function(err, back)
    local locations = {}
    for _, link in ipairs((not err and back) or {}) do
      table.insert(locations, node_location(link.src))
    end
    callback(nil, locations)
  end)
end

handlers["textDocument/completion"] = function(params, callback)
  local buf = vim.uri_to_bufnr(params.textDocument.uri)
  local line = line_of(buf, params.position.line)
  local before = line:sub(1, byte_col(line, params.position.character))
  local start = completion.link_start(before)
  if not start then
    return callback(nil, { isIncomplete = false, items = {} })
  end
  rpc.request("node.complete", { query = before:sub(start), limit = config.options.complete_limit }, function(err, found)
    local items = {}
    for _, candidate in ipairs((not err and found) or {}) do
      local text = candidate.alias or candidate.title
      table.insert(items, {
        label = text,
        kind = 18, -- Reference
        detail = candidate.alias and ("alias of " .. candidate.title) or candidate.kind,
        insertText = text .. "]]",
        filterText = text,
      })
    end
    callback(nil, { isIncomplete = true, items = items })
  end)
end

-- The `cmd` of vim.lsp.start: a server object living in this Neovim.
local function server(dispatchers)
  local closing = false
  local next_id = 0
  local function publish(result)
    dispatchers.notification("textDocument/publishDiagnostics", result)
  end
  local srv = {}
  function srv.request(method, params, callback)
    next_id = next_id + 1
    local handler = handlers[method]
    if handler then
      handler(params, callback)
    else
      callback(nil, nil)
    end
    return true, next_id
  end
  function srv.notify(method, params)
    if method == "exit" then
      closing = true
      dispatchers.on_exit(0, 0)
    elseif method == "textDocument/didOpen" or method == "textDocument/didSave" then
      diagnostics(vim.uri_to_bufnr(params.textDocument.uri), publish)
    end
    return true
  end
  function srv.is_closing()
    return closing
  end
  function srv.terminate()
    closing = true
  end
  return srv
end

-- Starts (or reuses) the server for node buffer `buf`.
function M.attach(buf)
  if not M.available() then
    return nil
  end
  return vim.lsp.start({ name = NAME, cmd = server, root_dir = vim.fn.getcwd() }, { bufnr = buf })
end

function M.enable()
  if not M.available() then
    util.warn("the heph language server needs Neovim 0.10 or later; the rest of heph.nvim works without it")
    return false
  end
  for _, buf in ipairs(util.buffers(require("heph.buffers").is_node_buffer)) do
    M.attach(buf)
  end
  return true
end

return M
