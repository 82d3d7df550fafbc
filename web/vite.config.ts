import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import type { Plugin } from "vite";

/**
 * janus-gateway's ES build keeps its UMD sniff for `module`/`define`. The mention of `module`
 * makes the bundler wrap the file as CommonJS, where the sniff finds the wrapper's module object,
 * puts Janus on module.exports and leaves the ES default export undefined. In a browser the sniff
 * should fall through to returning Janus, so it is taken out before bundling.
 */
function janusAsEsm(): Plugin {
  const sniff = "if (typeof define === 'function' && define.amd) {\n\t\tdefine(factory);\n\t} else if (typeof module === 'object' && module.exports) {\n\t\tmodule.exports = factory();\n\t} else if";
  return {
    name: "janus-gateway-as-esm",
    enforce: "pre",
    transform(code, id) {
      if (!id.includes("/janus-gateway/")) return null;
      if (!code.includes(sniff)) throw new Error("janus-gateway changed its UMD wrapper: update janusAsEsm in vite.config.ts");
      return { code: code.replace(sniff, "if"), map: null };
    },
  };
}

// Built into the Api's web root: the Api serves /app/* as static files and index.html for client routes.
const api = process.env.WG_URL ?? "http://127.0.0.1:5080";

export default defineConfig({
  base: "/app/",
  plugins: [react(), janusAsEsm()],
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
