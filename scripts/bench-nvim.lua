-- Driven by scripts/bench-nvim.ts: times following [[links]] and [[ completion in a real
-- Neovim with heph.nvim, against hephd on a big store. Prints "sample NAME MS" lines.
local ok, err = xpcall(function()
  local plan = vim.json.decode(io.open(vim.env.HEPH_BENCH_PLAN):read("*a"))
  local hrtime = (vim.uv or vim.loop).hrtime
  local rpc = require("heph.rpc")
  local buffers = require("heph.buffers")
  local links = require("heph.links")
  local completion = require("heph.completion")
  local function sample(name, started)
    io.stdout:write(("sample %s %.4f\n"):format(name, (hrtime() - started) / 1e6))
  end
  assert(rpc.call("daemon.info"), "no daemon")
  buffers.open(plan.source)
  local source = vim.api.nvim_get_current_buf()
  local first = buffers.frontmatter_lines(vim.api.nvim_buf_get_lines(source, 0, -1, false)) + 1
  for index = 1, #plan.targets do
    vim.api.nvim_set_current_buf(source)
    vim.api.nvim_win_set_cursor(0, { first + index - 1, 3 })
    local started = hrtime()
    assert(links.follow(), "no link on line " .. (first + index - 1))
    sample(index <= plan.warmup and "warmup" or "follow", started)
    local target = vim.api.nvim_get_current_buf()
    assert(target ~= source and vim.b[target].heph_id, "did not open the target")
    vim.api.nvim_set_current_buf(source)
    vim.api.nvim_buf_delete(target, { force = true })
  end
  for index, query in ipairs(plan.queries) do
    local started = hrtime()
    local items = completion.candidates(query, true)
    sample(index <= plan.warmup and "warmup" or "complete", started)
    io.stdout:write(("count %d\n"):format(#items))
  end
  -- The same through the omnifunc as Vim calls it, on a line ending in [[<query>.
  for index, query in ipairs(plan.queries) do
    vim.api.nvim_buf_set_lines(source, -1, -1, false, { "[[" .. query })
    vim.api.nvim_win_set_cursor(0, { vim.api.nvim_buf_line_count(source), #query + 2 })
    local started = hrtime()
    local start = completion.omnifunc(1, "")
    local result = completion.omnifunc(0, query)
    sample(index <= plan.warmup and "warmup" or "omnifunc", started)
    assert(start == 2 and type(result.words) == "table", "omnifunc")
  end
end, debug.traceback)
if not ok then
  io.stdout:write("error " .. tostring(err):gsub("\n", " | ") .. "\n")
  vim.cmd("cquit 1")
end
vim.cmd("qall!")
