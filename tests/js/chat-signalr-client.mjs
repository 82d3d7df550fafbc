// The real @microsoft/signalr client in Node: joins a room and collects WG_COUNT messages.
// Prints {"ready":true} once joined, then {"texts":[...]} in arrival order.
import * as signalR from '@microsoft/signalr';

const print = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const fail = (m) => { print({ error: String(m) }); process.exit(1); };
setTimeout(() => fail('timed out'), 30000).unref();

const wanted = Number(process.env.WG_COUNT);
const texts = [];
let historySeq = 0n;
const connection = new signalR.HubConnectionBuilder()
  .withUrl(`${process.env.WG_URL}/hubs/chat`, {
    accessTokenFactory: () => process.env.WG_TOKEN,
    transport: signalR.HttpTransportType.WebSockets,
    skipNegotiation: true,
  })
  .configureLogging(signalR.LogLevel.Warning)
  .build();

connection.on('message', (m) => {
  if (BigInt(m.seq) <= historySeq) return; // already in the join-time history (seq is a 64-bit string, as in GraphQL)
  texts.push(m.text);
  if (texts.length === wanted) {
    print({ texts });
    connection.stop().then(() => process.exit(0));
  }
});

try {
  await connection.start();
  const joined = await connection.invoke('JoinChannel', process.env.WG_CHANNEL);
  if (!Array.isArray(joined.messages)) fail('JoinChannel returned no history');
  historySeq = joined.messages.reduce((max, m) => (BigInt(m.seq) > max ? BigInt(m.seq) : max), 0n);
  print({ ready: true });
} catch (e) {
  fail(e);
}
