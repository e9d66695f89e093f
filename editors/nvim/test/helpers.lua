-- A few dozen lines of test harness for the plugin's tests (test/e2e/nvim/*.test.ts run them
-- in `nvim --headless` against a real hephd). A script registers tests with T.test, then calls
-- T.run(), which runs them in order, prints one line each, and exits: 0 when all passed,
-- 1 (:cquit 1) otherwise, since Neovim 0.7 exits 0 after a Lua error.
local T = {}

local tests = {}

function T.test(name, fn)
  table.insert(tests, { name = name, fn = fn })
end

local function show(value)
  return type(value) == "string" and string.format("%q", value) or vim.inspect(value)
end

function T.eq(actual, expected, what)
  if not vim.deep_equal(actual, expected) then
    error(("%s: expected %s, got %s"):format(what or "value", show(expected), show(actual)), 2)
  end
end

function T.ok(value, what)
  if not value then
    error((what or "expected a true value") .. ", got " .. show(value), 2)
  end
  return value
end

function T.contains(list, item, what)
  for _, value in ipairs(list) do
    if vim.deep_equal(value, item) then
      return
    end
  end
  error(("%s: %s not in %s"):format(what or "list", show(item), show(list)), 2)
end

-- Waits on an event (never a fixed sleep); the limit only stops a hung test.
function T.wait(predicate, what, timeout)
  if not vim.wait(timeout or 10000, predicate, 5) then
    error("timed out waiting for " .. (what or "a condition"), 2)
  end
end

-- A request through the plugin's own transport that must succeed.
function T.rpc(method, params)
  local result, err = require("heph.rpc").call(method, params)
  if err then
    error(method .. " failed: " .. vim.inspect(err), 2)
  end
  return result
end

-- The compiled heph CLI (HEPH_BIN), against the same daemon (HEPH_SOCKET is inherited).
function T.heph(args)
  local output = vim.fn.system(vim.list_extend({ vim.env.HEPH_BIN }, args))
  if vim.v.shell_error ~= 0 then
    error(("heph %s exited %d: %s"):format(table.concat(args, " "), vim.v.shell_error, output), 2)
  end
  return output
end

function T.lines(buf)
  return vim.api.nvim_buf_get_lines(buf or 0, 0, -1, false)
end

-- Messages the plugin shows, kept for assertions (vim.notify is what it calls).
T.messages = {}
vim.notify = function(message, level)
  table.insert(T.messages, { message = message, level = level })
end

function T.last_message()
  local last = T.messages[#T.messages]
  return last and last.message or nil
end

-- Answers the next vim.ui.select with the choice `pick(items)` returns.
function T.answer_select(pick)
  vim.ui.select = function(items, _, on_choice)
    on_choice(pick(items))
  end
end

-- Results the TypeScript side reads back: lines "result KEY VALUE" on stdout.
function T.result(key, value)
  io.stdout:write(("result %s %s\n"):format(key, vim.json.encode(value)))
end

function T.run()
  local failed = 0
  for _, case in ipairs(tests) do
    local ok, err = xpcall(case.fn, debug.traceback)
    vim.cmd("silent! %bwipeout!")
    if ok then
      io.stdout:write("ok - " .. case.name .. "\n")
    else
      failed = failed + 1
      io.stdout:write("not ok - " .. case.name .. "\n" .. tostring(err) .. "\n")
    end
  end
  io.stdout:write(("%d passed, %d failed\n"):format(#tests - failed, failed))
  io.stdout:flush()
  if failed > 0 then
    vim.cmd("cquit 1")
  else
    vim.cmd("qall!")
  end
end

return T
