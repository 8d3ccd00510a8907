-- L4 the statistics as one statement: overall (tasks by status, overdue and its share,
-- completed, completed on time and the rate, average days to complete, reports on time and late,
-- open urgings), by plan and by lead unit (total, overdue, on-time rate), the same figures as
-- domain/follow_up/statistics.rs (today in Beijing, punctuality against the original due date).
WITH d AS (SELECT CAST((now() AT TIME ZONE 'UTC') + INTERVAL '8 hours' AS date) AS today),
by_doc AS (
  SELECT t.document_id AS id, count(*) AS total,
         count(*) FILTER (WHERE t.status IN ('NOT_STARTED', 'IN_PROGRESS', 'RETURNED') AND t.due_date < d.today) AS overdue,
         count(*) FILTER (WHERE t.status IN ('COMPLETED', 'ARCHIVED') AND t.completed_at IS NOT NULL) AS finished,
         count(*) FILTER (WHERE t.status IN ('COMPLETED', 'ARCHIVED') AND t.completed_at IS NOT NULL
                            AND COALESCE(t.original_due_date, t.due_date) IS NOT NULL) AS finished_with_due,
         count(*) FILTER (WHERE t.status IN ('COMPLETED', 'ARCHIVED') AND t.completed_at IS NOT NULL
                            AND CAST((t.completed_at AT TIME ZONE 'UTC') + INTERVAL '8 hours' AS date) <= COALESCE(t.original_due_date, t.due_date)) AS on_time,
         count(*) FILTER (WHERE t.status = 'NOT_STARTED') AS not_started,
         count(*) FILTER (WHERE t.status = 'IN_PROGRESS') AS in_progress,
         count(*) FILTER (WHERE t.status = 'PENDING_REVIEW') AS pending_review,
         count(*) FILTER (WHERE t.status = 'RETURNED') AS returned,
         count(*) FILTER (WHERE t.status = 'COMPLETED') AS completed,
         count(*) FILTER (WHERE t.status = 'ARCHIVED') AS archived,
         count(*) FILTER (WHERE t.status = 'SUSPENDED') AS suspended,
         count(*) FILTER (WHERE t.status IN ('COMPLETED', 'ARCHIVED') AND t.completed_at IS NOT NULL AND t.assigned_on IS NOT NULL) AS timed,
         sum(CASE WHEN t.status IN ('COMPLETED', 'ARCHIVED') AND t.completed_at IS NOT NULL AND t.assigned_on IS NOT NULL
                  THEN CAST((t.completed_at AT TIME ZONE 'UTC') + INTERVAL '8 hours' AS date) - t.assigned_on ELSE 0 END) AS total_days,
         sum(t.open_urgings) AS open_urgings
    FROM task t, d GROUP BY t.document_id
),
by_unit AS (
  SELECT g.department_id AS id, count(*) AS total,
         count(*) FILTER (WHERE t.status IN ('NOT_STARTED', 'IN_PROGRESS', 'RETURNED') AND t.due_date < d.today) AS overdue,
         count(*) FILTER (WHERE t.status IN ('COMPLETED', 'ARCHIVED') AND t.completed_at IS NOT NULL) AS finished,
         count(*) FILTER (WHERE t.status IN ('COMPLETED', 'ARCHIVED') AND t.completed_at IS NOT NULL
                            AND COALESCE(t.original_due_date, t.due_date) IS NOT NULL) AS finished_with_due,
         count(*) FILTER (WHERE t.status IN ('COMPLETED', 'ARCHIVED') AND t.completed_at IS NOT NULL
                            AND CAST((t.completed_at AT TIME ZONE 'UTC') + INTERVAL '8 hours' AS date) <= COALESCE(t.original_due_date, t.due_date)) AS on_time
    FROM task t JOIN assignment g ON g.task_id = t.id JOIN department dep ON dep.id = g.department_id, d
   WHERE dep.kind = 'UNIT' AND g.role = 'LEAD'
   GROUP BY g.department_id
),
reports AS (
  SELECT count(*) FILTER (WHERE NOT p.late AND p.due_on IS NOT NULL) AS on_time, count(*) FILTER (WHERE p.late) AS late
    FROM progress_report p
)
SELECT json_build_object(
  'overall', (SELECT json_build_object(
                'total', sum(total), 'overdue', sum(overdue), 'overdueShare', sum(overdue)::float8 / NULLIF(sum(total), 0),
                'completed', sum(finished), 'completedOnTime', sum(on_time),
                'onTimeRate', sum(on_time)::float8 / NULLIF(sum(finished_with_due), 0),
                'averageDaysToComplete', sum(total_days)::float8 / NULLIF(sum(timed), 0),
                'reportsOnTime', (SELECT on_time FROM reports), 'reportsLate', (SELECT late FROM reports),
                'openUrgings', sum(open_urgings),
                'byStatus', json_build_array(sum(not_started), sum(in_progress), sum(pending_review), sum(returned),
                                             sum(completed), sum(archived), sum(suspended)))
              FROM by_doc),
  'byDocument', (SELECT json_agg(json_build_object('id', id, 'total', total, 'overdue', overdue,
                                                   'onTimeRate', on_time::float8 / NULLIF(finished_with_due, 0)) ORDER BY id) FROM by_doc),
  'byUnit', (SELECT json_agg(json_build_object('name', dep.name, 'total', u.total, 'overdue', u.overdue,
                                               'onTimeRate', u.on_time::float8 / NULLIF(u.finished_with_due, 0)) ORDER BY u.id)
               FROM by_unit u JOIN department dep ON dep.id = u.id));
