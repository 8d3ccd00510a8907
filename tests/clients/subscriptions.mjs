// graphql-ws (the graphql-transport-ws client most front ends use) against a running duban
// server: sign in with connectionParams, receive the to-do counts at once, and hear of an
// instruction written through HTTP on a task being watched.
//
//   node subscriptions.mjs URL TOKEN
//
// Exit 1 on any unexpected outcome.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { Checks, expect, parseArgs, show } from './common.mjs';

const { url, token } = parseArgs('subscriptions.mjs');
const checks = new Checks(`graphql-ws against ${url}`);
const wsUrl = url.replace(/^http/, 'ws');

async function post(query, variables) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  expect(!body.errors, `HTTP call failed: ${show(body.errors)}`);
  return body.data;
}

/** The first `n` events of a subscription, or a failure after `ms`. */
function events(client, payload, n, ms, onStarted) {
  return new Promise((resolve, reject) => {
    const got = [];
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`only ${got.length} of ${n} events within ${ms} ms: ${show(got)}`));
    }, ms);
    const unsubscribe = client.subscribe(payload, {
      next: (value) => {
        got.push(value);
        if (got.length === 1 && onStarted) onStarted();
        if (got.length === n) {
          clearTimeout(timer);
          unsubscribe();
          resolve(got);
        }
      },
      error: (err) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(show(err)));
      },
      complete: () => {},
    });
  });
}

const client = createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams: { Authorization: `Bearer ${token}` } });

await checks.run('myTodoChanged sends the counts at once', async () => {
  const [first] = await events(client, { query: 'subscription { myTodoChanged { total counts { kind count } } }' }, 1, 5000);
  expect(Number.isInteger(first.data?.myTodoChanged?.total), `no total: ${show(first)}`);
});

await checks.run('taskChanged hears of an instruction written through HTTP', async () => {
  const { tasks } = await post('{ tasks(first: 1) { nodes { id } } }');
  const id = tasks.nodes[0].id;
  const watching = events(
    client,
    { query: 'subscription($t: ID!) { taskChanged(taskId: $t) { entry { code text } task { id } } }', variables: { t: id } },
    1,
    5000,
  );
  // Give the server a moment to start the subscription, then make the change.
  await new Promise((r) => setTimeout(r, 300));
  await post('mutation($t: ID!) { instruct(taskId: $t, text: "请抓紧落实") { id } }', { t: id });
  const [event] = await watching;
  expect(event.data?.taskChanged?.entry?.code === 'INSTRUCTED', `unexpected event: ${show(event)}`);
  expect(event.data.taskChanged.task.id === id, `another task: ${show(event)}`);
});

await checks.run('a bad token is refused at connection_init', async () => {
  const refused = createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams: { Authorization: 'Bearer nope' }, retryAttempts: 0 });
  const outcome = await new Promise((resolve) => {
    refused.subscribe({ query: 'subscription { myTodoChanged { total } }' }, {
      next: () => resolve('event'),
      error: (err) => resolve(err?.code ?? err?.message ?? 'error'),
      complete: () => resolve('complete'),
    });
  });
  await refused.dispose();
  expect(outcome === 4403, `closed with ${show(outcome)}, not 4403`);
});

await client.dispose();
checks.finish();
