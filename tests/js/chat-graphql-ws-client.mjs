// The real graphql-ws client: subscribes to chatEvents anonymously and collects WG_COUNT messages.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const print = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const fail = (m) => { print({ error: String(m) }); process.exit(1); };
setTimeout(() => fail('timed out'), 30000).unref();

const wanted = Number(process.env.WG_COUNT);
const texts = [];
const client = createClient({ url: process.env.WG_WS_URL, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false });

client.subscribe(
  { query: 'subscription($c: ID!) { chatEvents(channelId: $c) { kind seq message { text } } }', variables: { c: process.env.WG_CHANNEL } },
  {
    next: (r) => {
      if (r.errors) fail(JSON.stringify(r.errors));
      const e = r.data.chatEvents;
      if (e.kind !== 'MESSAGE_ADDED') return;
      texts.push(e.message.text);
      if (texts.length === wanted) {
        print({ texts });
        client.dispose().then(() => process.exit(0));
      }
    },
    error: (e) => fail(JSON.stringify(e)),
    complete: () => {},
  },
);

// Messages on one socket are handled in order: once this query is answered, the subscription is attached.
await new Promise((resolve, reject) => client.subscribe({ query: '{ categories { slug } }' }, { next: () => {}, error: reject, complete: resolve })).catch(fail);
print({ ready: true });
