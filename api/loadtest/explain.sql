-- EXPLAIN ANALYZE of the SQL duban sends for Q1-Q3 (captured with log_statement = 'all').
-- psql -v unit=212 -v town=141 -v group=301 -v task=13001 -v doc=500 -f api/loadtest/explain.sql postgres://…/duban_bench_s1000
-- unit: a unit in no group; town: a unit in the group `group`. run.sh picks them and saves the output.
\set ON_ERROR_STOP 1
\echo '== Q1 unit dashboard: a unit in no group, first 20 (+1), one range of the assignment index'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT "task".*, "assignment"."task_document_id" AS "place_document_id", "assignment"."task_seq" AS "place_seq"
FROM "task" INNER JOIN "assignment" ON "task"."id" = "assignment"."task_id"
WHERE "assignment"."department_id" = :unit
ORDER BY "assignment"."task_document_id" ASC, "assignment"."task_seq" ASC LIMIT 21;
\echo '== Q1 unit dashboard: a town and its group, two ranges merged'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT * FROM (SELECT "task".*, "assignment"."task_document_id" AS "place_document_id", "assignment"."task_seq" AS "place_seq"
    FROM "task" INNER JOIN "assignment" ON "task"."id" = "assignment"."task_id" WHERE "assignment"."department_id" = :town
    ORDER BY "assignment"."task_document_id" ASC, "assignment"."task_seq" ASC LIMIT 21) AS "u0"
UNION ALL (SELECT * FROM (SELECT "task".*, "assignment"."task_document_id" AS "place_document_id", "assignment"."task_seq" AS "place_seq"
    FROM "task" INNER JOIN "assignment" ON "task"."id" = "assignment"."task_id" WHERE "assignment"."department_id" = :group
    ORDER BY "assignment"."task_document_id" ASC, "assignment"."task_seq" ASC LIMIT 21) AS "u1")
ORDER BY "place_document_id" ASC, "place_seq" ASC;
\echo '== a unit asking for another unit''s tasks: that unit''s range, within its own view'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT "task".*, "assignment"."task_document_id" AS "place_document_id", "assignment"."task_seq" AS "place_seq"
FROM "task" INNER JOIN "assignment" ON "task"."id" = "assignment"."task_id"
WHERE "assignment"."department_id" = :town
  AND "task"."id" IN (SELECT "assignment"."task_id" FROM "assignment" WHERE "assignment"."department_id" IN (:unit))
ORDER BY "assignment"."task_document_id" ASC, "assignment"."task_seq" ASC LIMIT 21;
\echo '== Q1/Q2/Q3 assignments with unit names of a page of tasks'
SELECT string_agg(id::text, ', ') AS page FROM (SELECT id FROM task WHERE document_id = :doc ORDER BY seq LIMIT 21) t \gset
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT a.*, d.* FROM "assignment" a LEFT JOIN "department" d ON a."department_id" = d."id"
WHERE a."task_id" IN (:page)
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
