-- Q2 as one statement: a task with its document, assignments with unit names and last 5 reports.
\set task random(:task_min, :task_max)
SELECT t.title, t.measures, t.status, t.schedule_text, t.schedule_kind, t.due_date, t.ongoing, t.waiting_for,
       doc.doc_number, doc.title,
       (SELECT json_agg(json_build_object('role', a.role, 'name', d.name) ORDER BY a.position)
          FROM assignment a JOIN department d ON d.id = a.department_id WHERE a.task_id = t.id) AS assignments,
       (SELECT json_agg(r) FROM (SELECT p.percent, p.text, p.created_at, d.name
                                   FROM progress_report p JOIN department d ON d.id = p.department_id
                                  WHERE p.task_id = t.id ORDER BY p.id DESC LIMIT 5) r) AS reports
  FROM task t JOIN document doc ON doc.id = t.document_id
 WHERE t.id = :task;
