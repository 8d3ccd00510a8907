-- L1 a unit's to-do list as one statement: what waits on the unit, by the rules of
-- domain/follow_up/todo.rs (today in Beijing), the first 20 by date with their task's number and
-- title, the count of each kind and the total. The union is written once (a CTE) where duban
-- sends it twice, once for the page and once for the counts.
\set unit random(:unit_min, :unit_max)
WITH d AS (SELECT CAST((now() AT TIME ZONE 'UTC') + INTERVAL '8 hours' AS date) AS today),
todo AS (
  SELECT 'SIGN' AS kind, a.task_id, a.sign_due AS on_day, a.task_id AS ref_id
    FROM assignment a JOIN task t ON t.id = a.task_id
   WHERE a.department_id = :unit AND a.state = 'ASSIGNED' AND t.status IN ('NOT_STARTED', 'IN_PROGRESS', 'RETURNED')
  UNION ALL
  SELECT 'REPORT_DUE', a.task_id, a.next_report_due, a.task_id
    FROM assignment a JOIN task t ON t.id = a.task_id, d
   WHERE a.department_id = :unit AND a.state IN ('SIGNED', 'IN_PROGRESS') AND t.status IN ('NOT_STARTED', 'IN_PROGRESS', 'RETURNED')
     AND a.next_report_due >= d.today AND a.next_report_due <= d.today + 7
  UNION ALL
  SELECT 'REPORT_LATE', a.task_id, a.next_report_due, a.task_id
    FROM assignment a JOIN task t ON t.id = a.task_id, d
   WHERE a.department_id = :unit AND a.state IN ('ASSIGNED', 'SIGNED', 'IN_PROGRESS') AND t.status IN ('NOT_STARTED', 'IN_PROGRESS', 'RETURNED')
     AND a.next_report_due < d.today
  UNION ALL
  SELECT 'URGING', u.task_id, COALESCE(u.reply_by, CAST((u.created_at AT TIME ZONE 'UTC') + INTERVAL '8 hours' AS date)), u.id
    FROM urging u WHERE u.department_id = :unit AND u.answered_at IS NULL
  UNION ALL
  SELECT 'INSTRUCTION', i.task_id, CAST((i.created_at AT TIME ZONE 'UTC') + INTERVAL '8 hours' AS date), i.id
    FROM instruction i JOIN assignment a ON a.task_id = i.task_id
   WHERE a.department_id = :unit AND a.role = 'LEAD'
     AND NOT EXISTS (SELECT 1 FROM instruction_response r WHERE r.instruction_id = i.id AND r.department_id = :unit)
  UNION ALL
  SELECT 'RETURNED', t.id, CAST((t.updated_at AT TIME ZONE 'UTC') + INTERVAL '8 hours' AS date), t.id
    FROM task t JOIN assignment a ON a.task_id = t.id
   WHERE a.department_id = :unit AND a.role = 'LEAD' AND t.status = 'RETURNED'
), page AS (SELECT * FROM todo ORDER BY on_day, kind, ref_id LIMIT 20)
SELECT json_build_object(
  'total', (SELECT count(*) FROM todo),
  'counts', (SELECT json_agg(json_build_object('kind', kind, 'count', n) ORDER BY kind) FROM (SELECT kind, count(*) AS n FROM todo GROUP BY kind) c),
  'items', (SELECT json_agg(json_build_object('kind', p.kind, 'date', p.on_day, 'seq', t.seq, 'title', t.title) ORDER BY p.on_day, p.kind, p.ref_id)
              FROM page p JOIN task t ON t.id = p.task_id));
