# Shell functions the load scripts share (sourced, not run).

# sign_in GRAPHQL_URL USERNAME: a bearer token of a synthetic account (password synthetic-password).
sign_in() {
  curl -sf "$1" -H 'Content-Type: application/json' --data \
    "{\"query\":\"mutation { login(username: \\\"$2\\\", password: \\\"synthetic-password\\\") { token } }\"}" |
    jq -er .data.login.token
}

# peer_data GRAPHQL_URL DATABASE_URL: the Lua data of peers.lua on stdout. Q1's units are units in
# no group, so that duban's departmentId filter (which also finds tasks a unit holds through a
# group) and PostGraphile's relation list the same tasks; each with its token, and leader1's.
peer_data() {
  local units unit
  units=$(psql "$2" -qAtX -v ON_ERROR_STOP=1 -c "SELECT d.id FROM department d WHERE d.kind = 'UNIT'
    AND NOT EXISTS (SELECT 1 FROM group_member g WHERE g.member_id = d.id)
    AND EXISTS (SELECT 1 FROM assignment a WHERE a.department_id = d.id) ORDER BY 1")
  echo "leader_token = \"$(sign_in "$1" leader1)\""
  echo "tokens = {}"
  echo "units = {}"
  for unit in $units; do echo "tokens[$unit] = \"$(sign_in "$1" "unit$unit")\"; units[#units + 1] = $unit"; done
  psql "$2" -qAtX -v ON_ERROR_STOP=1 -c "SELECT 'task_min, task_max = ' || min(id) || ', ' || max(id) FROM task"
}
