import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed documents for every operation in src/**/*.graphql, generated from the server's committed schema.
// CI regenerates this file and fails on a diff, so the output must stay deterministic (sorted, no timestamps).
const config: CodegenConfig = {
  schema: '../server/schema.graphql',
  documents: ['src/**/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    'src/generated/graphql.ts': {
      plugins: ['typescript-operations', 'typed-document-node'],
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: true },
        skipTypename: false,
        nonOptionalTypename: true,
        dedupeFragments: true,
        scalars: { DateTime: 'string', ID: 'string', JSONObject: 'Record<string, unknown>' },
        strictScalars: true,
      },
    },
  },
};

export default config;
