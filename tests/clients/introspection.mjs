// Sends graphql-js's full introspection query (built live by
// introspection-query.mjs, not read from the fixture file) with the bearer
// token, then builds a client schema from the answer with `buildClientSchema`.
//
//   node introspection.mjs URL TOKEN
//
// Fails when the server refuses the query (HTTP error or GraphQL errors) or
// the answer cannot be turned into a schema. Prints the number of types and
// the Query fields.
import { buildClientSchema, isObjectType, printSchema } from 'graphql';
import { Checks, expect, show, parseArgs } from './common.mjs';
import { introspectionQuery } from './introspection-query.mjs';

const { url, token } = parseArgs('introspection.mjs');
const checks = new Checks(`introspection via graphql-js against ${url}`);

const answer = await checks.run('server answers the full introspection query', async () => {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ query: introspectionQuery(), operationName: 'IntrospectionQuery' }),
  });
  const text = await res.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    expect(false, `HTTP ${res.status}, body is not JSON: ${show(text)}`);
  }
  expect(res.ok, `HTTP ${res.status}: ${show(body)}`);
  expect(!body.errors, `GraphQL errors: ${show(body.errors)}`);
  expect(body.data?.__schema, `no data.__schema in ${show(body)}`);
  return { data: body.data, note: `HTTP ${res.status}, ${res.headers.get('content-type')}` };
});

if (answer) {
  const schema = await checks.run('buildClientSchema accepts the answer', async () => {
    const built = buildClientSchema(answer.data);
    // printing walks every type and field, which catches dangling references
    printSchema(built);
    return built;
  });
  if (schema) {
    await checks.run('the schema has a Query type with fields', async () => {
      const query = schema.getQueryType();
      expect(isObjectType(query), 'no query type');
      const types = Object.keys(schema.getTypeMap());
      const fields = Object.keys(query.getFields());
      expect(fields.length > 0, 'Query has no fields');
      console.log(`     types: ${types.length} (${types.filter((t) => !t.startsWith('__')).length} without the introspection types)`);
      console.log(`     Query fields (${fields.length}): ${fields.join(', ')}`);
      const mutation = schema.getMutationType();
      if (mutation) console.log(`     Mutation fields: ${Object.keys(mutation.getFields()).length}`);
      for (const wanted of ['tasks', 'task', 'documents']) {
        expect(fields.includes(wanted), `Query has no field ${wanted}`);
      }
      return { note: `${types.length} types` };
    });
  }
}

checks.finish();
