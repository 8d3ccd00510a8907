// graphql-request's GraphQLClient against a running duban server: the same
// checks as apollo.mjs, for a minimal fetch-based client.
//
//   node graphql-request.mjs URL TOKEN
//
// A GraphQL error must reject with a ClientError whose
// `error.response.errors[0].extensions.code` is the server's code.
// Exit 1 on any unexpected outcome.
import { ClientError, GraphQLClient, gql } from 'graphql-request';
import {
  CheckFailure,
  Checks,
  DRY_RUN_DOC_NUMBER,
  DRY_RUN_PLAN,
  expect,
  expectTaskNode,
  parseArgs,
  show,
} from './common.mjs';

const { url, token } = parseArgs('graphql-request.mjs');

const admin = new GraphQLClient(url, { headers: { authorization: `Bearer ${token}` } });
const checks = new Checks(`graphql-request against ${url}`);

const FIRST_TASKS = gql`
  query FirstTasks {
    tasks(first: 5) {
      totalCount
      nodes { id seq title lead { name } }
    }
  }
`;
const TASK = gql`
  query OneTask($id: ID!) {
    task(id: $id) { id seq }
  }
`;
const TOO_MANY = gql`
  query TooMany {
    tasks(first: 101) { totalCount }
  }
`;
const DOCUMENTS = gql`
  query Documents {
    documents { nodes { id docNumber } }
  }
`;
const DRY_RUN = gql`
  mutation DryRun($text: String!) {
    importPlan(text: $text, dryRun: true) {
      dryRun
      document { docNumber }
      tasks { seq title lead { name } }
    }
  }
`;

/** Runs `fn`, which must reject with a ClientError carrying `code` (and `status`, if given). */
async function expectCode(code, fn, status) {
  let error;
  let result;
  try {
    result = await fn();
  } catch (err) {
    error = err;
  }
  if (!error) throw new CheckFailure(`expected ${code}, got a result: ${show(result)}`);
  expect(error instanceof ClientError, `expected ClientError, got ${error?.constructor?.name}: ${show(error?.message)}`);
  const got = error.response?.errors?.[0]?.extensions?.code;
  expect(got === code, `expected error.response.errors[0].extensions.code ${code}, got ${show(got)} (response ${show(error.response)})`);
  if (status !== undefined) {
    expect(error.response.status === status, `expected HTTP ${status}, got ${error.response.status}`);
  }
  return { note: `${code}: "${error.response.errors[0].message}", HTTP ${error.response.status}` };
}

const first = await checks.run('query tasks(first: 5)', async () => {
  const data = await admin.request(FIRST_TASKS);
  const tasks = data?.tasks;
  expect(tasks, `no data.tasks: ${show(data)}`);
  expect(Number.isInteger(tasks.totalCount), `totalCount is not an integer: ${show(tasks.totalCount)}`);
  expect(tasks.nodes.length === 5, `expected 5 nodes, got ${tasks.nodes.length}`);
  expect(tasks.totalCount >= 5, `totalCount ${tasks.totalCount} < 5 nodes`);
  tasks.nodes.forEach((n, i) => expectTaskNode(n, `nodes[${i}]`));
  return { ...tasks, note: `totalCount ${tasks.totalCount}, seqs ${tasks.nodes.map((n) => n.seq).join(',')}` };
});

await checks.run('rawRequest gives status 200 and a JSON content type', async () => {
  const raw = await admin.rawRequest(FIRST_TASKS);
  expect(raw.status === 200, `HTTP ${raw.status}`);
  const type = raw.headers.get('content-type') ?? '';
  expect(/^application\/(graphql-response\+)?json/.test(type), `content-type ${show(type)}`);
  return { note: type };
});

await checks.run('query with variables: task(id: $id)', async () => {
  expect(first, 'needs the tasks(first: 5) answer');
  const wanted = first.nodes[0];
  const data = await admin.request(TASK, { id: wanted.id });
  expect(data?.task, `task(id: ${wanted.id}) is ${show(data?.task)}`);
  expect(data.task.id === wanted.id && data.task.seq === wanted.seq, `expected ${show({ id: wanted.id, seq: wanted.seq })}, got ${show(data.task)}`);
  return { note: `id ${data.task.id}, seq ${data.task.seq}` };
});

await checks.run('query with variables: task of an unknown id is null', async () => {
  const data = await admin.request(TASK, { id: '999999999' });
  expect(data && data.task === null, `expected { task: null }, got ${show(data)}`);
});

await checks.run('tasks(first: 101) rejects with BAD_USER_INPUT', () =>
  expectCode('BAD_USER_INPUT', () => admin.request(TOO_MANY)),
);

await checks.run('anonymous client: tasks rejects with UNAUTHENTICATED', () =>
  expectCode('UNAUTHENTICATED', () => new GraphQLClient(url).request(FIRST_TASKS)),
);

await checks.run('client with a bad token: rejects with UNAUTHENTICATED and HTTP 401', () =>
  expectCode(
    'UNAUTHENTICATED',
    () => new GraphQLClient(url, { headers: { authorization: 'Bearer not-a-token' } }).request(FIRST_TASKS),
    401,
  ),
);

await checks.run('GET query (method: GET) with variables', async () => {
  expect(first, 'needs the tasks(first: 5) answer');
  const wanted = first.nodes[1];
  const viaGet = new GraphQLClient(url, { method: 'GET', headers: { authorization: `Bearer ${token}` } });
  const data = await viaGet.request(TASK, { id: wanted.id });
  expect(data?.task?.id === wanted.id && data.task.seq === wanted.seq, `expected ${show({ id: wanted.id, seq: wanted.seq })}, got ${show(data)}`);
  return { note: `id ${data.task.id}, seq ${data.task.seq}` };
});

const before = await checks.run('query documents', async () => {
  const data = await admin.request(DOCUMENTS);
  expect(Array.isArray(data?.documents?.nodes), `no documents.nodes: ${show(data)}`);
  return { nodes: data.documents.nodes, note: `${data.documents.nodes.length} document(s)` };
});

await checks.run('mutation importPlan(dryRun: true) previews the plan', async () => {
  const data = await admin.request(DRY_RUN, { text: DRY_RUN_PLAN });
  const result = data?.importPlan;
  expect(result, `no data.importPlan: ${show(data)}`);
  expect(result.dryRun === true, `dryRun is ${show(result.dryRun)}`);
  expect(result.document?.docNumber === DRY_RUN_DOC_NUMBER, `document is ${show(result.document)}`);
  expect(show(result.tasks.map((t) => t.seq)) === '[1,2]', `tasks are ${show(result.tasks)}`);
  return { note: `${result.tasks.length} tasks, lead of 1: ${result.tasks[0].lead?.name}` };
});

await checks.run('the dry run wrote nothing', async () => {
  expect(before, 'needs the documents answer from before');
  const data = await admin.request(DOCUMENTS);
  const after = data?.documents?.nodes ?? [];
  expect(after.length === before.nodes.length, `documents before ${before.nodes.length}, after ${after.length}`);
  expect(!after.some((d) => d.docNumber === DRY_RUN_DOC_NUMBER), `${DRY_RUN_DOC_NUMBER} was registered`);
});

await checks.run('mutation importPlan with no task rows rejects with BAD_USER_INPUT', () =>
  expectCode('BAD_USER_INPUT', () => admin.request(DRY_RUN, { text: 'no plan in this text' })),
);

checks.finish();
