-- wrk script for the duban load benchmark (see BENCHMARKS.md and run.sh).
--
-- DUBAN_OP selects the operation: q1 (unit dashboard), q2 (task detail), q3 (admin overview of
-- overdue tasks), w1 (submitReport), the follow-up loop's reads l1 (a unit's to-do list), l2
-- (a leader's to-do list: red tasks and unanswered instructions, province-wide), l3 (the
-- office's red list: warning filter, warning order, total) and l4 (statistics: overall, by
-- plan and by lead unit, province-wide), or mix (each request one of q1, q2, q3, w1 at random).
-- DUBAN_DATA names a Lua file written by run.sh that defines: tokens (unit id -> bearer token),
-- admin_token, leader_token, units (unit ids), task_min/task_max, doc_min/doc_max and
-- pairs_list ({task id, unit id} of direct UNIT assignments).
-- A response counts as an error unless it is HTTP 200 with no "errors" member.

local op = os.getenv("DUBAN_OP") or "q1"
dofile(os.getenv("DUBAN_DATA"))
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "checks.lua")

local Q1 = [[query($d: ID!) { tasks(filter: {departmentId: $d}, first: 20) { nodes { title status dueDate myRole assignments { role department { name } } } } }]]
local Q2 = [[query($id: ID!) { task(id: $id) { title measures status document { docNumber title } schedule { text kind dueDate ongoing waitingFor } assignments { role department { name } } reports(first: 5) { nodes { percent text createdAt department { name } } } } }]]
local Q3 = [[query($doc: ID!) { tasks(filter: {documentId: $doc, overdue: true}, first: 20) { totalCount nodes { seq title dueDate lead { name } } } }]]
local L1 = [[{ todo(first: 20) { total counts { kind count } items { kind date task { seq title } } } }]]
local L3 = [[{ tasks(filter: {warning: RED}, orderBy: WARNING, first: 20) { totalCount nodes { seq title dueDate warning { level reasons { code } } lead { name } } } }]]
local L4 = [[{ statistics { overall { total overdue overdueShare completed completedOnTime onTimeRate averageDaysToComplete reportsOnTime reportsLate openUrgings byStatus { status count } } byDocument { document { id } statistics { total overdue onTimeRate } } byUnit { department { name } statistics { total overdue onTimeRate } } } }]]
local W1 = [[mutation($t: ID!, $p: Int!) { submitReport(taskId: $t, percent: $p, text: "load test progress report", percentLoweredReason: "负载测试：随机进度") { id } }]]

local function json_string(text)
  return '"' .. text:gsub('\\', '\\\\'):gsub('"', '\\"') .. '"'
end

local function post(token, query, variables)
  local body = '{"query":' .. json_string(query) .. ',"variables":' .. variables .. '}'
  local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }
  return wrk.format("POST", "/graphql", headers, body)
end

local builders = {
  q1 = function()
    local unit = units[math.random(#units)]
    return post(tokens[unit], Q1, string.format('{"d":"%d"}', unit))
  end,
  q2 = function()
    return post(leader_token, Q2, string.format('{"id":"%d"}', math.random(task_min, task_max)))
  end,
  q3 = function()
    return post(admin_token, Q3, string.format('{"doc":"%d"}', math.random(doc_min, doc_max)))
  end,
  l1 = function()
    local unit = units[math.random(#units)]
    return post(tokens[unit], L1, "{}")
  end,
  l2 = function()
    return post(leader_token, L1, "{}")
  end,
  l3 = function()
    return post(admin_token, L3, "{}")
  end,
  l4 = function()
    return post(admin_token, L4, "{}")
  end,
  w1 = function()
    local pair = pairs_list[math.random(#pairs_list)]
    return post(tokens[pair[2]], W1, string.format('{"t":"%d","p":%d}', pair[1], math.random(0, 99)))
  end,
}
local kinds = { "q1", "q2", "q3", "w1" }

local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(1000 + (tid or 0))
  errors = 0
  sample = ""
end

function request()
  local kind = op
  if op == "mix" then kind = kinds[math.random(#kinds)] end
  return builders[kind]()
end

function done(summary, latency, requests)
  local errs, first = thread_errors(threads)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT op=%s requests=%d seconds=%.1f rps=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d socket_errors=%d\n",
    op, summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    errs, e.connect + e.read + e.write + e.timeout))
  if first ~= "" then io.write("ERROR_SAMPLE " .. first .. "\n") end
end
