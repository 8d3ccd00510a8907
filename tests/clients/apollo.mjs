// Apollo Client (core, no React) against a running duban server: HttpLink +
// InMemoryCache, as a browser or Node application would use it.
//
//   node apollo.mjs URL TOKEN
//
// Checks: the first five tasks (and that the cache normalised them), a query
// with variables, errors surfacing with `extensions.code` (BAD_USER_INPUT,
// anonymous UNAUTHENTICATED, bad token UNAUTHENTICATED), and a harmless
// mutation (`importPlan` with `dryRun: true`, which writes nothing) with
// its own error case. Then automatic persisted queries through
// PersistedQueryLink (hashes sent by GET, the document once by POST when the
// server asks for it). Exit 1 on any unexpected outcome.
import { createHash } from 'node:crypto';
import { ApolloClient, CombinedGraphQLErrors, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
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

const { url, token } = parseArgs('apollo.mjs');

/** `fetch` that remembers the HTTP status of the last response. */
const lastStatus = { value: undefined };
function recordingFetch(input, init) {
  return fetch(input, init).then((res) => {
    lastStatus.value = res.status;
    return res;
  });
}

function client(headers) {
  return new ApolloClient({
    link: new HttpLink({ uri: url, headers, fetch: recordingFetch }),
    cache: new InMemoryCache(),
  });
}

const admin = client({ authorization: `Bearer ${token}` });
const checks = new Checks(`@apollo/client against ${url}`);

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
const DOCUMENT_COUNT = gql`
  query DocumentCount {
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

/** Runs `fn`, which must reject with a GraphQL error of `code`. */
async function expectCode(code, fn) {
  let error;
  let result;
  try {
    result = await fn();
  } catch (err) {
    error = err;
  }
  if (!error) throw new CheckFailure(`expected ${code}, got a result: ${show(result?.data ?? result)}`);
  expect(
    CombinedGraphQLErrors.is(error),
    `expected CombinedGraphQLErrors, got ${error?.constructor?.name}: ${show(error?.message)}`,
  );
  const got = error.errors.map((e) => e.extensions?.code);
  expect(got[0] === code, `expected extensions.code ${code}, got ${show(got)} (${show(error.errors)})`);
  return { note: `${code}: "${error.errors[0].message}", HTTP ${lastStatus.value}` };
}

const first = await checks.run('query tasks(first: 5)', async () => {
  const { data } = await admin.query({ query: FIRST_TASKS, fetchPolicy: 'network-only' });
  const tasks = data?.tasks;
  expect(tasks, `no data.tasks: ${show(data)}`);
  expect(Number.isInteger(tasks.totalCount), `totalCount is not an integer: ${show(tasks.totalCount)}`);
  expect(tasks.nodes.length === 5, `expected 5 nodes, got ${tasks.nodes.length}`);
  expect(tasks.totalCount >= 5, `totalCount ${tasks.totalCount} < 5 nodes`);
  tasks.nodes.forEach((n, i) => expectTaskNode(n, `nodes[${i}]`));
  return { ...tasks, note: `totalCount ${tasks.totalCount}, seqs ${tasks.nodes.map((n) => n.seq).join(',')}` };
});

await checks.run('InMemoryCache normalised the tasks (by __typename and id)', async () => {
  expect(first, 'needs the tasks(first: 5) answer');
  const stored = admin.cache.extract();
  const keys = first.nodes.map((n) => admin.cache.identify({ __typename: 'Task', id: n.id }));
  const missing = keys.filter((k) => !stored[k]);
  expect(missing.length === 0, `not in the cache: ${missing.join(', ')} (cache keys: ${show(Object.keys(stored))})`);
  return { note: keys.join(' ') };
});

await checks.run('query with variables: task(id: $id)', async () => {
  expect(first, 'needs the tasks(first: 5) answer');
  const wanted = first.nodes[0];
  const { data } = await admin.query({ query: TASK, variables: { id: wanted.id }, fetchPolicy: 'network-only' });
  expect(data?.task, `task(id: ${wanted.id}) is ${show(data?.task)}`);
  expect(data.task.id === wanted.id && data.task.seq === wanted.seq, `expected ${show({ id: wanted.id, seq: wanted.seq })}, got ${show(data.task)}`);
  return { note: `id ${data.task.id}, seq ${data.task.seq}` };
});

await checks.run('query with variables: task of an unknown id is null', async () => {
  const { data } = await admin.query({ query: TASK, variables: { id: '999999999' }, fetchPolicy: 'network-only' });
  expect(data && data.task === null, `expected { task: null }, got ${show(data)}`);
});

await checks.run('tasks(first: 101) fails with BAD_USER_INPUT', () =>
  expectCode('BAD_USER_INPUT', () => admin.query({ query: TOO_MANY, fetchPolicy: 'network-only' })),
);

await checks.run('anonymous client: tasks fails with UNAUTHENTICATED', () =>
  expectCode('UNAUTHENTICATED', () => client({}).query({ query: FIRST_TASKS, fetchPolicy: 'network-only' })),
);

await checks.run('client with a bad token: fails with UNAUTHENTICATED and HTTP 401', async () => {
  const outcome = await expectCode('UNAUTHENTICATED', () =>
    client({ authorization: 'Bearer not-a-token' }).query({ query: FIRST_TASKS, fetchPolicy: 'network-only' }),
  );
  expect(lastStatus.value === 401, `expected HTTP 401, got ${lastStatus.value}`);
  return outcome;
});

const before = await checks.run('query documents', async () => {
  const { data } = await admin.query({ query: DOCUMENT_COUNT, fetchPolicy: 'network-only' });
  expect(Array.isArray(data?.documents?.nodes), `no documents.nodes: ${show(data)}`);
  return { nodes: data.documents.nodes, note: `${data.documents.nodes.length} document(s)` };
});

await checks.run('mutation importPlan(dryRun: true) previews the plan', async () => {
  const { data } = await admin.mutate({ mutation: DRY_RUN, variables: { text: DRY_RUN_PLAN } });
  const result = data?.importPlan;
  expect(result, `no data.importPlan: ${show(data)}`);
  expect(result.dryRun === true, `dryRun is ${show(result.dryRun)}`);
  expect(result.document?.docNumber === DRY_RUN_DOC_NUMBER, `document is ${show(result.document)}`);
  expect(show(result.tasks.map((t) => t.seq)) === '[1,2]', `tasks are ${show(result.tasks)}`);
  return { note: `${result.tasks.length} tasks, lead of 1: ${result.tasks[0].lead?.name}` };
});

await checks.run('the dry run wrote nothing', async () => {
  expect(before, 'needs the documents answer from before');
  const { data } = await admin.query({ query: DOCUMENT_COUNT, fetchPolicy: 'network-only' });
  const after = data?.documents?.nodes ?? [];
  expect(after.length === before.nodes.length, `documents before ${before.nodes.length}, after ${after.length}`);
  expect(!after.some((d) => d.docNumber === DRY_RUN_DOC_NUMBER), `${DRY_RUN_DOC_NUMBER} was registered`);
});

await checks.run('mutation importPlan with no task rows fails with BAD_USER_INPUT', () =>
  expectCode('BAD_USER_INPUT', () =>
    admin.mutate({ mutation: DRY_RUN, variables: { text: 'no plan in this text' } }),
  ),
);

// Automatic persisted queries: the client sends the document's SHA-256 by GET;
// the first time the server asks for the document (PERSISTED_QUERY_NOT_FOUND)
// and the link sends it by POST; after that the hash alone is enough. The
// document carries this run's own alias, so a server that ran these checks
// before has not seen it.
const sent = [];
function watchingFetch(input, init) {
  const target = new URL(typeof input === 'string' ? input : input.url);
  const body = typeof init?.body === 'string' ? JSON.parse(init.body) : {};
  sent.push({
    method: init?.method ?? 'GET',
    withQuery: target.searchParams.has('query') || typeof body.query === 'string',
    withHash: (target.searchParams.get('extensions') ?? JSON.stringify(body.extensions ?? {})).includes('sha256Hash'),
  });
  return recordingFetch(input, init);
}
const persisted = new ApolloClient({
  link: new PersistedQueryLink({
    sha256: (text) => createHash('sha256').update(text).digest('hex'),
    useGETForHashedQueries: true,
  }).concat(new HttpLink({ uri: url, headers: { authorization: `Bearer ${token}` }, fetch: watchingFetch })),
  cache: new InMemoryCache(),
});
const PERSISTED_TASKS = gql(`
  query PersistedTasks($first: Int!) {
    tasks(first: $first) { nodes { id seq } }
    run_${Date.now()}_${process.pid}: __typename
  }
`);
const show_sent = () => show(sent.map((r) => `${r.method}${r.withQuery ? ' +query' : ''}${r.withHash ? ' +hash' : ''}`));

await checks.run('persisted query: hash by GET, then the document by POST when asked', async () => {
  expect(first, 'needs the tasks(first: 5) answer');
  const { data } = await persisted.query({ query: PERSISTED_TASKS, variables: { first: 2 }, fetchPolicy: 'network-only' });
  const ids = data?.tasks?.nodes?.map((n) => n.id);
  expect(show(ids) === show(first.nodes.slice(0, 2).map((n) => n.id)), `tasks are ${show(data)}`);
  expect(show_sent() === show(['GET +hash', 'POST +query +hash']), `requests were ${show_sent()}`);
  return { note: show_sent() };
});

await checks.run('persisted query: the hash alone, by GET, the next time', async () => {
  sent.length = 0;
  expect(first, 'needs the tasks(first: 5) answer');
  const { data } = await persisted.query({ query: PERSISTED_TASKS, variables: { first: 1 }, fetchPolicy: 'network-only' });
  expect(data?.tasks?.nodes?.[0]?.id === first.nodes[0].id, `tasks are ${show(data)}`);
  expect(show_sent() === show(['GET +hash']), `requests were ${show_sent()}`);
  expect(lastStatus.value === 200, `HTTP ${lastStatus.value}`);
  return { note: show_sent() };
});

checks.finish();
