-- The transport: partial lines, replies matched by id out of order, the timeout, the message
-- when nothing answers, a daemon restarted mid-session, and :checkhealth heph.
package.path = vim.fn.getcwd() .. "/editors/nvim/test/?.lua;" .. package.path
local T = require("helpers")
local rpc = require("heph.rpc")
local config = require("heph.config")
local buffers = require("heph.buffers")
local uv = vim.uv or vim.loop

local socket = vim.env.HEPH_SOCKET

-- A stand-in daemon on its own socket: hands every request line to `on_line(client, line)`.
local function fake_daemon(on_line)
  local path = vim.fn.tempname() .. ".sock"
  local server = uv.new_pipe(false)
  server:bind(path)
  server:listen(8, function()
    local client = uv.new_pipe(false)
    server:accept(client)
    local pending = ""
    client:read_start(function(_, chunk)
      if not chunk then
        client:close()
        return
      end
      pending = pending .. chunk
      for line in pending:gmatch("([^\n]*)\n") do
        on_line(client, vim.json.decode(line))
      end
      pending = pending:match("[^\n]*$")
    end)
  end)
  return path, function()
    server:close()
    os.remove(path)
  end
end

local function use_socket(path)
  rpc.close()
  config.options.socket = path
end

T.test("replies are matched by id, in any order, across partial lines", function()
  local held = {}
  local path, stop = fake_daemon(function(client, request)
    table.insert(held, request)
    if #held == 2 then
      -- The second request answered first, in one line cut into three writes.
      local second = vim.json.encode({ jsonrpc = "2.0", id = held[2].id, result = { n = 2 } }) .. "\n"
      local first = vim.json.encode({ jsonrpc = "2.0", id = held[1].id, result = { n = 1 } }) .. "\n"
      local bytes = second .. first
      client:write(bytes:sub(1, 5))
      client:write(bytes:sub(6, #second + 3))
      client:write(bytes:sub(#second + 4))
    end
  end)
  use_socket(path)
  local got = {}
  rpc.request("one", nil, function(err, result)
    got.one = { err, result }
  end)
  rpc.request("two", nil, function(err, result)
    got.two = { err, result }
  end)
  T.wait(function()
    return got.one and got.two
  end, "both replies")
  T.eq(got.one[2], { n = 1 }, "first")
  T.eq(got.two[2], { n = 2 }, "second")
  T.eq(held[1].method, "one", "sent in order")
  T.eq(held[1].jsonrpc, "2.0", "as JSON-RPC 2.0")
  stop()
end)

T.test("a daemon that does not answer gives a timeout error", function()
  local path, stop = fake_daemon(function() end)
  use_socket(path)
  local result, err = rpc.call("daemon.info", nil, { timeout_ms = 50 })
  T.eq(result, nil, "no result")
  T.eq(err.kind, "timeout", "a timeout")
  T.ok(err.message:find("did not answer daemon.info", 1, true), err.message)
  stop()
end)

T.test("nothing at the socket: the message names it and `heph daemon start`", function()
  use_socket(vim.fn.tempname() .. "-none.sock")
  local _, err = rpc.call("daemon.info")
  T.ok(err.message:find(config.options.socket, 1, true), "names the socket: " .. err.message)
  T.ok(err.message:find("heph daemon start", 1, true), "names the fix")
  use_socket(nil)
end)

T.test("a large reply arrives whole", function()
  local body = string.rep("0123456789abcdef", 150000) .. "\n"
  local node = T.rpc("node.create", { kind = "doc", title = "Big", body = body })
  T.eq(#T.rpc("node.get", { id = node.id }).body, #body, "2.4 MB body")
end)

T.test(":checkhealth heph reports the socket, the daemon's version and the methods", function()
  vim.cmd("checkhealth heph")
  local text = table.concat(T.lines(), "\n")
  local info = T.rpc("daemon.info")
  T.ok(text:find(socket, 1, true), "the socket: " .. text)
  T.ok(text:find("hephd " .. info.version .. " answers", 1, true), "the version")
  T.ok(text:find("every method the plugin uses", 1, true), "no skew in methods")
  T.ok(not text:find("ERROR", 1, true), "no error")
end)

T.test("the daemon restarted mid-session: the next call reconnects; live reloads resume", function()
  local node = T.rpc("node.create", { kind = "doc", title = "Survivor", body = "v1\n" })
  buffers.open(node.id)
  local buf = vim.api.nvim_get_current_buf()
  T.rpc("daemon.shutdown")
  T.wait(function()
    return uv.fs_stat(socket) == nil
  end, "the old daemon to remove its socket")
  local _, down = rpc.call("daemon.info")
  T.ok(down and down.message:find("heph daemon start", 1, true), "while down: " .. vim.inspect(down))
  local job = vim.fn.jobstart({ vim.env.HEPH_BIN, "hephd", "--mode", "local", "--log", vim.env.HEPH_TEST_LOG })
  T.ok(job > 0, "started a new daemon")
  T.wait(function()
    return uv.fs_stat(socket) ~= nil
  end, "the new daemon's socket")
  local ok, err = pcall(function()
    T.wait(function()
      local info = rpc.call("daemon.info")
      return info ~= nil
    end, "the new daemon to answer")
    T.eq(T.rpc("node.get", { id = node.id }).body, "v1\n", "same store, read through the new connection")
    T.heph({ "tag", "add", node.id, "after-restart" })
    T.wait(function()
      return vim.tbl_contains(T.lines(buf), "  - after-restart")
    end, "a live reload over the new connection")
  end)
  vim.fn.jobstop(job)
  vim.fn.jobwait({ job }, 10000)
  if not ok then
    error(err, 0)
  end
end)

T.run()
