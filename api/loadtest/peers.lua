-- wrk script for the side-by-side benchmark (api/loadtest/side-by-side.sh): the same two reads,
-- with the same random ids, in each server's dialect.
--
-- PEER_TARGET: duban, v4 or v5. PEER_OP: q1 (a unit's first 20 tasks in plan order with every
-- assignment's unit) or q2 (a task with its document, schedule, assignments, last 5 reports).
-- PEER_DATA names a Lua file written by side-by-side.sh: units (ids of units in no group),
-- tokens (unit id -> duban bearer token), leader_token, task_min, task_max.
-- A response counts as an error unless it is HTTP 200 without an "errors" member.

local target = os.getenv("PEER_TARGET") or "duban"
local op = os.getenv("PEER_OP") or "q1"
dofile(os.getenv("PEER_DATA"))
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "checks.lua")

local queries = {
  duban = {
    q1 = [[query($id: ID!) { tasks(filter: {departmentId: $id}, first: 20) { nodes { title status dueDate myRole assignments { role department { name } } } } }]],
    q2 = [[query($id: ID!) { task(id: $id) { title measures status document { docNumber title } schedule { text kind dueDate ongoing waitingFor } assignments { role department { name } } reports(first: 5) { nodes { percent text createdAt department { name } } } } }]],
  },
  v4 = {
    q1 = [[query($id: Int!) { department(id: $id) { assignments(orderBy: [TASK_DOCUMENT_ID_ASC, TASK_SEQ_ASC], first: 20) { nodes { role task { title status dueDate assignments(orderBy: POSITION_ASC) { nodes { role department { name } } } } } } } }]],
    q2 = [[query($id: Int!) { task(id: $id) { title measures status document { docNumber title } scheduleText scheduleKind dueDate ongoing waitingFor assignments(orderBy: POSITION_ASC) { nodes { role department { name } } } progressReports(orderBy: PRIMARY_KEY_DESC, first: 5) { nodes { percent text createdAt department { name } } } } }]],
  },
  v5 = {
    q1 = [[query($id: Int!) { department(rowId: $id) { assignments(orderBy: [TASK_DOCUMENT_ID_ASC, TASK_SEQ_ASC], first: 20) { nodes { role task { title status dueDate assignments(orderBy: POSITION_ASC) { nodes { role department { name } } } } } } } }]],
    q2 = [[query($id: Int!) { task(rowId: $id) { title measures status document { docNumber title } scheduleText scheduleKind dueDate ongoing waitingFor assignments(orderBy: POSITION_ASC) { nodes { role department { name } } } progressReports(orderBy: PRIMARY_KEY_DESC, first: 5) { nodes { percent text createdAt department { name } } } } }]],
  },
}

local function json_string(text)
  return '"' .. text:gsub('\\', '\\\\'):gsub('"', '\\"') .. '"'
end

local function post(token, id)
  local id_value = target == "duban" and string.format('"%d"', id) or string.format('%d', id)
  local body = '{"query":' .. json_string(queries[target][op]) .. ',"variables":{"id":' .. id_value .. '}}'
  local headers = { ["Content-Type"] = "application/json" }
  if token then headers["Authorization"] = "Bearer " .. token end
  return wrk.format("POST", "/graphql", headers, body)
end

local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(4242 + (tid or 0))
  errors = 0
  sample = ""
end

function request()
  if op == "q1" then
    local unit = units[math.random(#units)]
    return post(target == "duban" and tokens[unit] or nil, unit)
  end
  return post(target == "duban" and leader_token or nil, math.random(task_min, task_max))
end

function done(summary, latency, requests)
  local errs, first = thread_errors(threads)
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT target=%s op=%s requests=%d seconds=%.1f rps=%.1f p50_ms=%.2f p99_ms=%.2f errors=%d\n",
    target, op, summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, errs))
  if first ~= "" then io.write("ERROR_SAMPLE " .. first .. "\n") end
end
