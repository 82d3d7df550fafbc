import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// GraphiQL, a page of its own: built into the Api's web root under /graphiql/ (the Api answers
// GET /graphiql with graphiql.html and serves these assets as static files). A build apart from
// the app's, so neither's output depends on the other.
export default defineConfig({
  base: "/graphiql/",
  plugins: [react()],
  build: {
    outDir: "../Api/wwwroot/graphiql",
    emptyOutDir: true,
    sourcemap: false,
    rollupOptions: { input: "graphiql.html" },
    chunkSizeWarningLimit: 3000, // GraphiQL with CodeMirror and React is one ~2 MB page, loaded only by developers
  },
});
