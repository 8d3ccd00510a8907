-- Q1 as one statement: a unit's first 20 tasks with its role and every assignment's unit name.
\set unit random(:unit_min, :unit_max)
SELECT t.id, t.title, t.status, t.due_date, me.role AS my_role,
       (SELECT json_agg(json_build_object('role', a.role, 'name', d.name) ORDER BY a.position)
          FROM assignment a JOIN department d ON d.id = a.department_id WHERE a.task_id = t.id) AS assignments
  FROM assignment me JOIN task t ON t.id = me.task_id
 WHERE me.department_id = :unit
 ORDER BY me.task_document_id, me.task_seq
 LIMIT 20;
