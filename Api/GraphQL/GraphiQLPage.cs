namespace WgStream.Api.GraphQL;

/// <summary>
/// The GraphiQL IDE for exploring the API in a browser. It loads GraphiQL from a pinned CDN
/// release and talks to <c>/graphql</c> over HTTP and graphql-transport-ws.
/// </summary>
public static class GraphiQLPage
{
    private const string Html = """
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <title>WG-Stream GraphiQL</title>
          <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
          <link rel="stylesheet" href="https://unpkg.com/graphiql@3.8.3/graphiql.min.css">
        </head>
        <body>
          <div id="graphiql">Loading GraphiQL…</div>
          <script crossorigin src="https://unpkg.com/react@18.3.1/umd/react.production.min.js"></script>
          <script crossorigin src="https://unpkg.com/react-dom@18.3.1/umd/react-dom.production.min.js"></script>
          <script crossorigin src="https://unpkg.com/graphiql@3.8.3/graphiql.min.js"></script>
          <script>
            const base = location.origin + '/graphql';
            const fetcher = GraphiQL.createFetcher({
              url: base,
              subscriptionUrl: base.replace(/^http/, 'ws'),
            });
            ReactDOM.createRoot(document.getElementById('graphiql'))
              .render(React.createElement(GraphiQL, { fetcher, defaultEditorToolsVisibility: true }));
          </script>
        </body>
        </html>
        """;

    public static IResult Write() => Results.Content(Html, "text/html; charset=utf-8");
}
