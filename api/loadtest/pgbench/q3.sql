-- Q3 as one statement: overdue tasks of one plan (first 20) with the total count and lead unit.
\set doc random(:doc_min, :doc_max)
SELECT t.seq, t.title, t.due_date, count(*) OVER () AS total_count,
       (SELECT d.name FROM assignment a JOIN department d ON d.id = a.department_id
         WHERE a.task_id = t.id AND a.role = 'LEAD' ORDER BY a.position LIMIT 1) AS lead
  FROM task t
 WHERE t.document_id = :doc AND t.due_date < CURRENT_DATE AND t.status <> 'COMPLETED'
 ORDER BY t.seq
 LIMIT 20;
