-- wrk script: `-- <threads> <file>` sends the paths listed in <file>, one a line. Each thread
-- takes its own share (every threads-th line), so no two requests repeat a path until a share
-- runs out; `done` prints the figures and how many requests repeated a path, as one JSON line.
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

local paths = {}

function init(args)
  local count = tonumber(args[1])
  local all = {}
  for line in io.lines(args[2]) do all[#all + 1] = line end
  for i = thread_id + 1, #all, count do paths[#paths + 1] = all[i] end
  if #paths == 0 then paths = all end -- fewer paths than threads: each thread cycles them all
  share = #paths
  sent = 0
end

function request()
  sent = sent + 1
  return wrk.format("GET", paths[(sent - 1) % #paths + 1])
end

function done(summary, latency, requests)
  local repeats, furthest = 0, 0
  for _, thread in ipairs(threads) do
    local sent, share = thread:get("sent"), thread:get("share")
    if sent > share then repeats = repeats + sent - share end
    if sent > furthest then furthest = sent end
  end
  local e = summary.errors
  io.write(string.format(
    '\nBENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, '
      .. '"read_errors": %d, "write_errors": %d, "status_errors": %d, "timeouts": %d, '
      .. '"p50_us": %d, "p90_us": %d, "p95_us": %d, "p99_us": %d, "mean_us": %.1f, "max_us": %d, '
      .. '"repeats": %d, "furthest": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.mean, latency.max, repeats, furthest))
end
