// PostGraphile v5 over duban's database, for api/loadtest/side-by-side.sh: the public schema,
// simplified names (as v4 with pg-simplify-inflector), every column orderable (as v4 without
// --no-ignore-indexes: the index behaviours plugin is off), no GraphiQL, no watch, a pool of 10.
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { makePgService } from 'postgraphile/adaptors/pg';
import { PgSimplifyInflectionPreset } from '@graphile/simplify-inflection';

export default {
  extends: [PostGraphileAmberPreset, PgSimplifyInflectionPreset],
  disablePlugins: ['PgIndexBehaviorsPlugin'],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ['public'],
      poolConfig: { max: 10 },
    }),
  ],
  grafserv: {
    port: Number(process.env.PORT ?? 5056),
    host: '127.0.0.1',
    graphiql: false,
    watch: false,
  },
};
