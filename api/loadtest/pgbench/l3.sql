-- L3 the office's red list as one statement: the tasks in red (warning level of
-- domain/follow_up/warning.rs as SQL, default settings, today in Beijing), the first 20 by due
-- date with number, title, due date, the facts the warning's reasons are read from, and the
-- lead unit's name; and the total.
WITH d AS (SELECT CAST((now() AT TIME ZONE 'UTC') + INTERVAL '8 hours' AS date) AS today),
red AS (
  SELECT task.id, task.seq, task.title, task.due_date, task.document_id, task.status, task.assigned_on,
         task.latest_percent, task.earliest_report_due, task.late_report_units, task.earliest_sign_due, task.open_urgings
    FROM task, d
   WHERE (CASE WHEN (NOT "task"."status" IN ('NOT_STARTED', 'IN_PROGRESS', 'RETURNED')) THEN 0 WHEN ("task"."due_date" < d.today OR ("task"."due_date" > "task"."assigned_on" AND "task"."assigned_on" < d.today AND "task"."due_date" >= d.today AND (100 * ((CAST(d.today AS date) - CAST("task"."assigned_on" AS date)))) - (COALESCE("task"."latest_percent", 0) * ((CAST("task"."due_date" AS date) - CAST("task"."assigned_on" AS date)))) > 30 * ((CAST("task"."due_date" AS date) - CAST("task"."assigned_on" AS date))))) THEN 4 WHEN (((NOT "task"."due_date" < d.today) AND "task"."due_date" <= (d.today + 3)) OR ("task"."due_date" > "task"."assigned_on" AND "task"."assigned_on" < d.today AND "task"."due_date" >= d.today AND (100 * ((CAST(d.today AS date) - CAST("task"."assigned_on" AS date)))) - (COALESCE("task"."latest_percent", 0) * ((CAST("task"."due_date" AS date) - CAST("task"."assigned_on" AS date)))) > 10 * ((CAST("task"."due_date" AS date) - CAST("task"."assigned_on" AS date))) AND (NOT ("task"."due_date" > "task"."assigned_on" AND "task"."assigned_on" < d.today AND "task"."due_date" >= d.today AND (100 * ((CAST(d.today AS date) - CAST("task"."assigned_on" AS date)))) - (COALESCE("task"."latest_percent", 0) * ((CAST("task"."due_date" AS date) - CAST("task"."assigned_on" AS date)))) > 30 * ((CAST("task"."due_date" AS date) - CAST("task"."assigned_on" AS date)))))) OR "task"."earliest_report_due" < d.today OR "task"."late_report_units" > 0 OR "task"."earliest_sign_due" < d.today OR "task"."open_urgings" > 0) THEN 3 WHEN ((NOT "task"."due_date" <= (d.today + 3)) AND "task"."due_date" <= (d.today + 7)) THEN 2 ELSE 1 END) = 4
)
SELECT json_build_object(
  'totalCount', (SELECT count(*) FROM red),
  'nodes', (SELECT json_agg(json_build_object('seq', p.seq, 'title', p.title, 'dueDate', p.due_date,
                    'facts', json_build_array(p.status, p.assigned_on, p.latest_percent, p.earliest_report_due, p.late_report_units, p.earliest_sign_due, p.open_urgings),
                    'lead', (SELECT dep.name FROM assignment a JOIN department dep ON dep.id = a.department_id
                              WHERE a.task_id = p.id AND a.role = 'LEAD' ORDER BY a.position LIMIT 1))
                  ORDER BY p.due, p.document_id, p.seq)
              FROM (SELECT red.*, COALESCE(red.due_date, DATE '9999-12-31') AS due FROM red
                     ORDER BY due, document_id, seq LIMIT 20) p));
