using System.Text;

namespace WgStream.Tests.Infrastructure.Fuzz;

/// <summary>One message a fuzzing client sends over a WebSocket: text or binary.</summary>
public sealed record FuzzFrame(byte[] Bytes, bool Binary = false)
{
    public static FuzzFrame Text(string text) => new(Encoding.UTF8.GetBytes(text));

    public override string ToString() => Binary ? $"binary {Bytes.Length} B" : Shorten(Encoding.UTF8.GetString(Bytes));

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";
}

/// <summary>
/// Seeded sequences of messages for graphql-transport-ws and for the SignalR hub's JSON protocol:
/// out-of-order, malformed, oversized, of the wrong type or shape, mixed with valid ones so the
/// server is in every state of the protocol when the junk arrives.
/// </summary>
public sealed class WebSocketFuzzScripts(int seed)
{
    private const char RecordSeparator = '\u001e';
    private readonly Random random = new(seed);
    private readonly GraphQLDocumentMutator documents = new(seed);

    public IEnumerable<IReadOnlyList<FuzzFrame>> GraphQLWs(int count)
    {
        var mutated = documents.Next(count * 2).Select(d => d.Body).ToArray();
        for (var i = 0; i < count; i++)
        {
            var script = new List<FuzzFrame>();
            if (random.Next(4) > 0)
            {
                script.Add(FuzzFrame.Text(random.Next(5) == 0 ? "{\"type\":\"connection_init\",\"payload\":[1]}" : "{\"type\":\"connection_init\"}"));
            }

            var length = 1 + random.Next(6);
            for (var m = 0; m < length; m++)
            {
                var id = random.Next(3).ToString(System.Globalization.CultureInfo.InvariantCulture);
                script.Add(random.Next(13) switch
                {
                    0 => FuzzFrame.Text("{\"type\":\"subscribe\",\"id\":\"" + id + "\",\"payload\":" + mutated[random.Next(mutated.Length)] + "}"),
                    1 => FuzzFrame.Text("{\"type\":\"subscribe\",\"id\":\"" + id + "\",\"payload\":{\"query\":\"subscription { chatEvents(channelId: \\\"" + Guid.NewGuid() + "\\\") { __typename } }\"}}"),
                    2 => FuzzFrame.Text("{\"type\":\"complete\",\"id\":\"" + id + "\"}"),
                    3 => FuzzFrame.Text("{\"type\":\"ping\",\"payload\":" + (random.Next(2) == 0 ? "{}" : "\"x\"") + "}"),
                    4 => FuzzFrame.Text("{\"type\":\"" + Pick(["next", "error", "connection_ack", "start", "stop", "", "SUBSCRIBE"]) + "\",\"id\":\"" + id + "\"}"),
                    5 => FuzzFrame.Text("{\"type\":\"subscribe\",\"id\":" + Pick(["1", "null", "{}", "\"\"", "\"" + new string('i', 5000) + "\""]) + ",\"payload\":{\"query\":\"{ __typename }\"}}"),
                    6 => FuzzFrame.Text(Pick(["", "null", "[]", "42", "{", "{\"type\":1}", "{\"type\":null}", "\"connection_init\""])),
                    7 => new FuzzFrame(RandomBytes(random.Next(1, 500)), Binary: true),
                    8 => FuzzFrame.Text("{\"type\":\"subscribe\",\"id\":\"" + id + "\",\"payload\":{\"query\":\"" + new string('x', 300_000) + "\"}}"),
                    9 => FuzzFrame.Text("{\"type\":\"subscribe\",\"id\":\"" + id + "\",\"payload\":{\"query\":\"query { me { id } }\",\"variables\":" + Pick(["[]", "1", "\"s\"", "{\"a\":" + new string('[', 3000) + "}"]) + "}}"),
                    10 => FuzzFrame.Text("{\"type\":\"connection_init\",\"payload\":{\"token\":" + Pick(["1", "\"nope\"", "null", "{}"]) + "}}"),
                    11 => FuzzFrame.Text("{\"type\":\"subscribe\",\"id\":\"" + id + "\",\"payload\":{\"query\":\"mutation { logout }\"}}"),
                    _ => FuzzFrame.Text("{\"type\":\"subscribe\",\"id\":\"" + id + "\",\"payload\":{\"query\":\"{ __typename }\",\"extensions\":{\"persistedQuery\":{\"version\":1,\"sha256Hash\":\"" + new string('0', 64) + "\"}}}}"),
                });
            }

            yield return script;
        }
    }

    public IEnumerable<IReadOnlyList<FuzzFrame>> SignalR(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var script = new List<FuzzFrame>
            {
                FuzzFrame.Text(random.Next(6) switch
                {
                    0 => "{\"protocol\":\"messagepack\",\"version\":1}" + RecordSeparator,
                    1 => "{\"protocol\":\"json\",\"version\":99}" + RecordSeparator,
                    2 => "{\"protocol\":\"json\"" + RecordSeparator,
                    3 => "{\"protocol\":\"json\",\"version\":1}",
                    _ => "{\"protocol\":\"json\",\"version\":1}" + RecordSeparator,
                }),
            };
            var length = 1 + random.Next(6);
            for (var m = 0; m < length; m++)
            {
                var channel = random.Next(3) == 0 ? "not-a-guid" : Guid.NewGuid().ToString();
                script.Add(FuzzFrame.Text(random.Next(10) switch
                {
                    0 => Invocation("JoinChannel", $"\"{channel}\""),
                    1 => Invocation("SendMessage", $"\"{channel}\",\"hi\""),
                    2 => Invocation(Pick(["JoinChannel", "SendMessage", "LeaveChannel"]), Pick(["", "1", "null,null,null", "{}", "[" + new string('[', 2000) + "]", "\"" + new string('s', 200_000) + "\""])),
                    3 => Invocation(Pick(["OnConnectedAsync", "Dispose", "", "joinchannel", new string('T', 3000)]), "\"x\""),
                    4 => "{\"type\":" + Pick(["4", "5", "6", "7", "99", "-1", "\"1\"", "null"]) + ",\"invocationId\":\"1\",\"target\":\"JoinChannel\",\"arguments\":[]}" + RecordSeparator,
                    5 => "{\"type\":1,\"target\":\"SendMessage\",\"arguments\":[\"" + channel + "\",\"no separator\"]}",
                    6 => "{\"type\":1," + RecordSeparator + RecordSeparator + "]]" + RecordSeparator,
                    7 => Encoding.Latin1.GetString(RandomBytes(random.Next(1, 300))) + RecordSeparator,
                    8 => "{\"type\":6}" + RecordSeparator,
                    _ => "{\"type\":1,\"invocationId\":\"" + random.Next() + "\",\"target\":\"JoinChannel\",\"arguments\":[\"" + channel + "\"],\"streamIds\":[\"a\",\"b\"]}" + RecordSeparator,
                }));
            }

            yield return script;
        }
    }

    private string Invocation(string target, string arguments) =>
        "{\"type\":1,\"invocationId\":\"" + random.Next(1000) + "\",\"target\":\"" + target + "\",\"arguments\":[" + arguments + "]}" + RecordSeparator;

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
