-- L2 a leader's to-do list as one statement: every task in red (the warning level of
-- domain/follow_up/warning.rs rendered as SQL, default settings, today in Beijing) and the
-- leader's own instructions without a response; the first 20 by date with number and title,
-- the counts and the total.
WITH d AS (SELECT CAST((now() AT TIME ZONE 'UTC') + INTERVAL '8 hours' AS date) AS today),
todo AS (
  SELECT 'RED_TASK' AS kind, task.id AS task_id, task.due_date AS on_day, task.id AS ref_id
    FROM task, d
   WHERE (CASE WHEN (NOT "task"."status" IN ('NOT_STARTED', 'IN_PROGRESS', 'RETURNED')) THEN 0 WHEN ("task"."due_date" < d.today OR ("task"."due_date" > "task"."assigned_on" AND "task"."assigned_on" < d.today AND "task"."due_date" >= d.today AND (100 * ((CAST(d.today AS date) - CAST("task"."assigned_on" AS date)))) - (COALESCE("task"."latest_percent", 0) * ((CAST("task"."due_date" AS date) - CAST("task"."assigned_on" AS date)))) > 30 * ((CAST("task"."due_date" AS date) - CAST("task"."assigned_on" AS date))))) THEN 4 WHEN (((NOT "task"."due_date" < d.today) AND "task"."due_date" <= (d.today + 3)) OR ("task"."due_date" > "task"."assigned_on" AND "task"."assigned_on" < d.today AND "task"."due_date" >= d.today AND (100 * ((CAST(d.today AS date) - CAST("task"."assigned_on" AS date)))) - (COALESCE("task"."latest_percent", 0) * ((CAST("task"."due_date" AS date) - CAST("task"."assigned_on" AS date)))) > 10 * ((CAST("task"."due_date" AS date) - CAST("task"."assigned_on" AS date))) AND (NOT ("task"."due_date" > "task"."assigned_on" AND "task"."assigned_on" < d.today AND "task"."due_date" >= d.today AND (100 * ((CAST(d.today AS date) - CAST("task"."assigned_on" AS date)))) - (COALESCE("task"."latest_percent", 0) * ((CAST("task"."due_date" AS date) - CAST("task"."assigned_on" AS date)))) > 30 * ((CAST("task"."due_date" AS date) - CAST("task"."assigned_on" AS date)))))) OR "task"."earliest_report_due" < d.today OR "task"."late_report_units" > 0 OR "task"."earliest_sign_due" < d.today OR "task"."open_urgings" > 0) THEN 3 WHEN ((NOT "task"."due_date" <= (d.today + 3)) AND "task"."due_date" <= (d.today + 7)) THEN 2 ELSE 1 END) = 4
  UNION ALL
  SELECT 'UNANSWERED_INSTRUCTION', i.task_id, CAST((i.created_at AT TIME ZONE 'UTC') + INTERVAL '8 hours' AS date), i.id
    FROM instruction i
   WHERE i.author_id = (SELECT id FROM app_user WHERE username = 'leader1')
     AND NOT EXISTS (SELECT 1 FROM instruction_response r WHERE r.instruction_id = i.id)
), page AS (SELECT * FROM todo ORDER BY on_day, kind, ref_id LIMIT 20)
SELECT json_build_object(
  'total', (SELECT count(*) FROM todo),
  'counts', (SELECT json_agg(json_build_object('kind', kind, 'count', n) ORDER BY kind) FROM (SELECT kind, count(*) AS n FROM todo GROUP BY kind) c),
  'items', (SELECT json_agg(json_build_object('kind', p.kind, 'date', p.on_day, 'seq', t.seq, 'title', t.title) ORDER BY p.on_day, p.kind, p.ref_id)
              FROM page p JOIN task t ON t.id = p.task_id));
