import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { GraphiQL } from "graphiql";
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import "graphiql/style.css";
import "./graphiql.css";

// GraphiQL bundled with its React and styles and served by the Api at /graphiql, so it works
// with no internet (it used to come from a CDN). Free-form documents over HTTP, subscriptions
// over graphql-transport-ws, both on this origin's /graphql.
const url = `${location.origin}/graphql`;
const fetcher = createGraphiQLFetcher({ url, subscriptionUrl: url.replace(/^http/, "ws") });

createRoot(document.getElementById("graphiql")!).render(
  <StrictMode>
    <GraphiQL fetcher={fetcher} defaultEditorToolsVisibility />
  </StrictMode>,
);
