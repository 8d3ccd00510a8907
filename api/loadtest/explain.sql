-- EXPLAIN ANALYZE of the SQL duban sends for Q1-Q3 (captured with log_min_duration_statement = 0;
-- the column lists are those of the load benchmark's selections).
-- psql -v unit=212 -v town=141 -v group=301 -v task=13001 -v doc=500 -f api/loadtest/explain.sql postgres://…/duban_bench_s1000
-- unit: a unit in no group; town: a unit in the group `group`. run.sh picks them and saves the output.
\set ON_ERROR_STOP 1
\echo '== Q1 unit dashboard: a unit in no group, first 20 (+1), one range of the assignment index'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT "task"."id", "task"."document_id", "task"."seq", "task"."title", "task"."due_date", "task"."status"
FROM "task" INNER JOIN "assignment" ON "task"."id" = "assignment"."task_id"
WHERE "assignment"."department_id" = :unit
ORDER BY "assignment"."task_document_id" ASC, "assignment"."task_seq" ASC LIMIT 21;
\echo '== Q1 unit dashboard: a town and its group, two ranges merged'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT "u0"."id", "u0"."document_id", "u0"."seq", "u0"."title", "u0"."due_date", "u0"."status", "u0"."place_document_id", "u0"."place_seq"
FROM (SELECT "task"."id", "task"."document_id", "task"."seq", "task"."title", "task"."due_date", "task"."status",
        "assignment"."task_document_id" AS "place_document_id", "assignment"."task_seq" AS "place_seq"
      FROM "task" INNER JOIN "assignment" ON "task"."id" = "assignment"."task_id" WHERE "assignment"."department_id" = :town
      ORDER BY "assignment"."task_document_id" ASC, "assignment"."task_seq" ASC LIMIT 21) AS "u0"
UNION ALL (SELECT "u1"."id", "u1"."document_id", "u1"."seq", "u1"."title", "u1"."due_date", "u1"."status", "u1"."place_document_id", "u1"."place_seq"
  FROM (SELECT "task"."id", "task"."document_id", "task"."seq", "task"."title", "task"."due_date", "task"."status",
          "assignment"."task_document_id" AS "place_document_id", "assignment"."task_seq" AS "place_seq"
        FROM "task" INNER JOIN "assignment" ON "task"."id" = "assignment"."task_id" WHERE "assignment"."department_id" = :group
        ORDER BY "assignment"."task_document_id" ASC, "assignment"."task_seq" ASC LIMIT 21) AS "u1")
ORDER BY "place_document_id" ASC, "place_seq" ASC;
\echo '== a unit asking for another unit''s tasks: that unit''s range, within its own view'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT "task"."id", "task"."document_id", "task"."seq", "task"."title", "task"."due_date", "task"."status"
FROM "task" INNER JOIN "assignment" ON "task"."id" = "assignment"."task_id"
WHERE "assignment"."department_id" = :town
  AND "task"."id" IN (SELECT "assignment"."task_id" FROM "assignment" WHERE "assignment"."department_id" IN (:unit))
ORDER BY "assignment"."task_document_id" ASC, "assignment"."task_seq" ASC LIMIT 21;
\echo '== Q1/Q3 the units of a page of tasks (the columns Q1 selects)'
SELECT string_agg(id::text, ', ') AS page FROM (SELECT id FROM task WHERE document_id = :doc ORDER BY seq LIMIT 21) t \gset
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT "assignment"."id", "assignment"."task_id", "assignment"."department_id", "assignment"."role", "assignment"."position",
       "department"."id", "department"."name"
FROM "assignment" LEFT JOIN "department" ON "department"."id" = "assignment"."department_id"
WHERE "assignment"."task_id" IN (:page)
ORDER BY "assignment"."task_id" ASC, "assignment"."position" ASC;
\echo '== Q2 a task with its plan, its units and its last 5 (+1) reports, one statement (a leader)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT 0 AS "detail_row_kind", "assignment"."position" AS "detail_row_order", "task"."id", "task"."document_id", "task"."seq",
       "task"."title", "task"."measures", "task"."schedule_text", "task"."schedule_kind", "task"."due_date", "task"."ongoing",
       "task"."waiting_for", "task"."status", "document"."id" AS "d_id", "document"."doc_number" AS "d_doc_number",
       "document"."title" AS "d_title", "document"."issuer" AS "d_issuer", "document"."issued_on" AS "d_issued_on",
       "document"."created_at" AS "d_created_at", "document"."updated_at" AS "d_updated_at", "document"."report_rule" AS "d_report_rule",
       "assignment"."id", "assignment"."task_id", "assignment"."department_id", "assignment"."role", "assignment"."position",
       "department"."id", "department"."name", "department"."kind", "department"."needs_review", "department"."created_at",
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM "task" LEFT JOIN "document" ON "document"."id" = "task"."document_id"
  LEFT JOIN "assignment" ON "assignment"."task_id" = "task"."id"
  LEFT JOIN "department" ON "department"."id" = "assignment"."department_id"
WHERE "task"."id" = :task
UNION ALL (SELECT 1 AS "detail_row_kind", "r"."id" * -1 AS "detail_row_order", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       "r"."id", "r"."task_id", "r"."department_id", "r"."author_id", "r"."text", "r"."percent", "r"."created_at",
       "r"."reported_on", "r"."due_on", "r"."late"
  FROM (SELECT "progress_report".* FROM "progress_report" WHERE "progress_report"."task_id" = :task
        ORDER BY "progress_report"."id" DESC LIMIT 6) AS "r")
ORDER BY "detail_row_kind" ASC, "detail_row_order" ASC;
\echo '== Q3 overdue tasks of one plan, first 20 (+1), and their count'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT * FROM "task" WHERE "document_id" = :doc AND "due_date" < CURRENT_DATE AND "status" <> 'COMPLETED'
ORDER BY "document_id" ASC, "seq" ASC LIMIT 21;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT COUNT(*) FROM (SELECT * FROM "task" WHERE "document_id" = :doc AND "due_date" < CURRENT_DATE AND "status" <> 'COMPLETED') s;
\echo '== auth: the account and its groups (once per account: the process keeps it until it changes)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT u.id, u.role, u.department_id, u.active, u.token_version, g.group_id
FROM app_user u LEFT JOIN group_member g ON g.member_id = u.department_id WHERE u.id = 3;
