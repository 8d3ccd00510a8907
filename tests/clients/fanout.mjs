// Fan-out latency: N open subscriptions (graphql-transport-ws, one socket each) to one task's
// changes; the script then writes M instructions on that task over HTTP and measures, for every
// subscriber and every change, the time from sending the mutation to the event (the commit
// happens inside that: the mutation's own round trip is printed beside it).
//
//   node tests/clients/fanout.mjs URL TOKEN TASK_ID [SUBSCRIBERS=1000] [CHANGES=20]
//
// Prints one RESULT line: p50/p99/max in ms over SUBSCRIBERS × CHANGES deliveries, and how
// many were missing (api/loadtest/run.sh runs it). Uses the packages of tests/clients.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, token, task, subscribers = '1000', changes = '20'] = process.argv.slice(2);
if (!url || !token || !task) {
  console.error('usage: node fanout.mjs URL TOKEN TASK_ID [SUBSCRIBERS] [CHANGES]');
  process.exit(2);
}
const n = Number(subscribers);
const m = Number(changes);
const wsUrl = url.replace(/^http/, 'ws');
const QUERY = 'subscription($t: ID!) { taskChanged(taskId: $t) { entry { id code } } }';

const arrivals = new Map(); // entry id -> array of arrival times (ms)
const clients = [];
let started = 0;
await Promise.all(
  Array.from({ length: n }, () =>
    new Promise((resolve, reject) => {
      const client = createClient({
        url: wsUrl,
        webSocketImpl: WebSocket,
        connectionParams: { Authorization: `Bearer ${token}` },
        retryAttempts: 0,
        on: { connected: () => resolve() },
      });
      clients.push(client);
      client.subscribe({ query: QUERY, variables: { t: task } }, {
        next: (event) => {
          const id = event.data?.taskChanged?.entry?.id;
          if (!id) return;
          if (!arrivals.has(id)) arrivals.set(id, []);
          arrivals.get(id).push(performance.now());
        },
        error: (err) => reject(err),
        complete: () => {},
      });
      started += 1;
    }),
  ),
);
// Let every subscription reach the server's hub.
await new Promise((r) => setTimeout(r, 2000));

const latencies = [];
let missing = 0;
const roundTrips = [];
for (let i = 0; i < m; i += 1) {
  const sent = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: 'mutation($t: ID!, $x: String!) { instruct(taskId: $t, text: $x) { id } }', variables: { t: task, x: `fan-out ${i}` } }),
  });
  const body = await response.json();
  roundTrips.push(performance.now() - sent);
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  // The entry id is not in the answer; wait for the round's events, then take the newest id.
  await new Promise((r) => setTimeout(r, 1500));
  const ids = [...arrivals.keys()].map(Number).sort((a, b) => b - a);
  const times = arrivals.get(String(ids[0])) ?? [];
  missing += n - times.length;
  for (const t of times) latencies.push(t - sent);
  arrivals.clear();
}
latencies.sort((a, b) => a - b);
const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
console.log(
  `RESULT op=fanout subscribers=${n} changes=${m} deliveries=${latencies.length} missing=${missing} ` +
    `p50_ms=${at(0.5).toFixed(1)} p99_ms=${at(0.99).toFixed(1)} max_ms=${(latencies.at(-1) ?? NaN).toFixed(1)} ` +
    `mutation_ms=${(roundTrips.reduce((a, b) => a + b, 0) / roundTrips.length).toFixed(1)}`,
);
await Promise.all(clients.map((c) => c.dispose()));
process.exit(0);
