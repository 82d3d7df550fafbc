// Drives the real `graphql-ws` client against our graphql-transport-ws endpoint.
// Usage: WG_WS_URL=ws://127.0.0.1:PORT/graphql WG_TOKEN=... node graphql-ws-client.mjs
// Prints one JSON object per line: {"ready":...} once the subscription is in place, then
// {"event":...} for each event, and exits 0 after WG_EVENTS events (default 1). The subscription
// is the account's security events unless WG_QUERY (and WG_VARIABLES, JSON) name another; an
// error result is printed as {"error":...} with the errors' JSON.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const url = process.env.WG_WS_URL;
const token = process.env.WG_TOKEN;
const wanted = Number(process.env.WG_EVENTS ?? '1');
const print = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const fail = (message) => { print({ error: String(message) }); process.exit(1); };
setTimeout(() => fail('timed out'), Number(process.env.WG_TIMEOUT_MS ?? '20000')).unref();

const client = createClient({
  url,
  webSocketImpl: WebSocket,
  connectionParams: { token },
  retryAttempts: 0,
  lazy: false,
  on: { closed: (e) => { if (seen < wanted) fail(`closed ${e.code} ${e.reason}`); } },
});

let seen = 0;
const query = process.env.WG_QUERY ?? 'subscription { securityEvents { kind sessionId at } }';
const variables = JSON.parse(process.env.WG_VARIABLES ?? '{}');
client.subscribe(
  { query, variables },
  {
    next: (result) => {
      if (result.errors) fail(JSON.stringify(result.errors));
      print({ event: Object.values(result.data)[0] });
      if (++seen >= wanted) client.dispose().then(() => process.exit(0));
    },
    error: (e) => fail(JSON.stringify(e)),
    complete: () => {},
  },
);

// The server handles a socket's messages in order, so once this query is answered the
// subscription above is registered and no event can be missed.
const me = await new Promise((resolve, reject) => {
  let data;
  client.subscribe({ query: '{ me { username } }' }, {
    next: (r) => { data = r; },
    error: reject,
    complete: () => resolve(data),
  });
}).catch(fail);
print({ ready: me.data.me });
