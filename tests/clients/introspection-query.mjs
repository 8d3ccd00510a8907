// Prints graphql-js's standard introspection query with every option the
// installed graphql version offers switched on. Its output is kept as
// tests/fixtures/introspection-query.graphql (see README.md).
//
//   node introspection-query.mjs > ../fixtures/introspection-query.graphql
//
// Other scripts import `introspectionOptions` from here so that they send the
// live query, never the saved file.
import { getIntrospectionQuery } from 'graphql';
import { fileURLToPath } from 'node:url';

export const introspectionOptions = Object.freeze({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
  oneOf: true,
  // graphql 16.15 has one more option, `experimentalDirectiveDeprecation`
  // (`directives(includeDeprecated:)`, `__Directive.isDeprecated`). It is a
  // proposal, not part of the GraphQL specification, and async-graphql does
  // not implement it (the server answers "Unknown field \"isDeprecated\" on
  // type \"__Directive\""), so it stays off. Every other option is on.
  experimentalDirectiveDeprecation: false,
});

export function introspectionQuery() {
  return getIntrospectionQuery(introspectionOptions);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(introspectionQuery() + '\n');
}
