import type { CodegenConfig } from "@graphql-codegen/cli";

// Typed operations: every `graphql(`...`)` document in src/ is checked against the API's schema
// (schema.graphql, kept equal to GET /graphql/schema.graphql by a test) and gets result and
// variable types. Output goes to src/gql/ (generated, git-ignored) before each type-check/build.
const config: CodegenConfig = {
  schema: "schema.graphql",
  documents: ["src/**/*.{ts,tsx}", "!src/gql/**"],
  ignoreNoDocuments: true,
  generates: {
    "src/gql/": {
      preset: "client",
      // persisted-documents.json: every operation by its sha256 id, which the Api loads and the client sends instead of the text.
      presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: "sha256" } },
      config: {
        documentMode: "string",
        enumsAsTypes: true,
        useTypeImports: true,
        strictScalars: true,
        scalars: { DateTimeOffset: "string", Long: "number" },
      },
    },
  },
};

export default config;
