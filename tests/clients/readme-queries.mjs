// Every ```graphql block of the README, checked with graphql-js against the schema the running
// server introspects: a renamed field or argument breaks this check before it breaks a reader.
// Usage: node readme-queries.mjs URL TOKEN
import { readFileSync } from 'node:fs';
import { buildClientSchema, getIntrospectionQuery, parse, validate } from 'graphql';
import { parseArgs } from './common.mjs';

const { url, token } = parseArgs('readme-queries.mjs');
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/^\s*```graphql\n([\s\S]*?)^\s*```/gm)].map((m) => m[1]);
if (blocks.length === 0) {
  console.error('no ```graphql block found in README.md');
  process.exit(1);
}

const response = await fetch(url, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
  body: JSON.stringify({ query: getIntrospectionQuery() }),
});
const { data, errors } = await response.json();
if (errors) {
  console.error('introspection failed:', JSON.stringify(errors));
  process.exit(1);
}
const schema = buildClientSchema(data);

let failed = 0;
for (const [index, source] of blocks.entries()) {
  const first = source.trim().split('\n')[0];
  let problems;
  try {
    problems = validate(schema, parse(source)).map((e) => e.message);
  } catch (error) {
    problems = [error.message];
  }
  if (problems.length) {
    failed += 1;
    console.log(`FAIL block ${index + 1} (${first}): ${problems.join('; ')}`);
  } else {
    console.log(`ok   block ${index + 1} (${first})`);
  }
}
console.log(`README blocks: ${blocks.length - failed}/${blocks.length} valid`);
process.exit(failed ? 1 : 0);
