-- EXPLAIN ANALYZE of the SQL duban sends for Q1-Q3 (captured with log_statement = 'all').
-- psql -v unit=212 -v task=13001 -v doc=500 -f api/loadtest/explain.sql postgres://…/duban_bench_s1000
\set ON_ERROR_STOP 1
\echo '== Q1 unit dashboard: tasks of a unit (scope + filter), first 20 (+1)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT "task".* FROM "task"
WHERE "task"."id" IN (SELECT "assignment"."task_id" FROM "assignment" WHERE "assignment"."department_id" IN (:unit))
  AND "task"."id" IN (SELECT "assignment"."task_id" FROM "assignment" WHERE "assignment"."department_id" = :unit
        OR "assignment"."department_id" IN (SELECT "group_member"."group_id" FROM "group_member" WHERE "group_member"."member_id" = :unit))
ORDER BY "task"."document_id" ASC, "task"."seq" ASC LIMIT 21;
\echo '== Q1/Q2/Q3 assignments with unit names of a page of tasks'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT a.*, d.* FROM "assignment" a LEFT JOIN "department" d ON a."department_id" = d."id"
WHERE a."task_id" IN (SELECT id FROM task WHERE document_id = :doc)
ORDER BY a."task_id" ASC, a."position" ASC;
\echo '== Q2 task with its document'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT t.*, d.* FROM "task" t LEFT JOIN "document" d ON t."document_id" = d."id" WHERE t."id" = :task LIMIT 1;
\echo '== Q2 last 5 (+1) reports'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT * FROM "progress_report" WHERE "task_id" = :task ORDER BY "id" DESC LIMIT 6;
\echo '== Q3 overdue tasks of one plan, first 20 (+1), and their count'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT * FROM "task" WHERE "document_id" = :doc AND "due_date" < CURRENT_DATE AND "status" <> 'COMPLETED'
ORDER BY "document_id" ASC, "seq" ASC LIMIT 21;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT COUNT(*) FROM (SELECT * FROM "task" WHERE "document_id" = :doc AND "due_date" < CURRENT_DATE AND "status" <> 'COMPLETED') s;
\echo '== auth: the account and its groups (every request)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT u.id, u.role, u.department_id, u.active, u.token_version, g.group_id
FROM app_user u LEFT JOIN group_member g ON g.member_id = u.department_id WHERE u.id = 3;
