import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// Built into the Api's web root: the Api serves /app/* as static files and index.html for client routes.
const api = process.env.WG_URL ?? "http://127.0.0.1:5080";

export default defineConfig({
  base: "/app/",
  plugins: [react()],
  build: {
    outDir: "../Api/wwwroot/app",
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1200, // hls.js alone is ~500 kB; one bundle is fine for the MVP
  },
  server: {
    proxy: {
      "/graphql": { target: api, ws: true },
      "/hubs": { target: api, ws: true },
      "/emotes": api,
      "/media": api,
    },
  },
});
