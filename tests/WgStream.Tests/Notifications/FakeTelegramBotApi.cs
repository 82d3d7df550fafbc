using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WgStream.Tests.Notifications;

/// <summary>
/// A Telegram Bot API server on a loopback port, as far as the platform uses it: <c>getMe</c>,
/// <c>getUpdates</c> (long poll over the updates a test queues, confirmed by offset),
/// <c>sendMessage</c> (every JSON body recorded; a chat can be made to fail with HTTP 500),
/// <c>deleteWebhook</c> and <c>setWebhook</c>. Tests assert on what actually went over the wire.
/// </summary>
public sealed class FakeTelegramBotApi : IAsyncDisposable
{
    public const string Token = "123456789:AAtest-token_for-the-fake-server";
    public const string BotUsername = "wg_test_bot";

    private readonly object gate = new();
    private readonly List<JsonObject> updates = [];
    private readonly List<SentMessage> sent = [];
    private readonly List<FailedSend> failed = [];
    private readonly ConcurrentQueue<string> calls = new();
    private readonly Dictionary<long, int> failuresLeft = [];
    private readonly WebApplication app;
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long nextUpdateId = 1000;
    private long nextMessageId = 1;

    private FakeTelegramBotApi(WebApplication app) => this.app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyCollection<string> Calls => calls.ToArray();

    public static async Task<FakeTelegramBotApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeTelegramBotApi(app);
        app.Map("/bot{token}/{method}", server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address);
        return server;
    }

    /// <summary>Queues a text message from a private chat, as Telegram would deliver it to getUpdates.</summary>
    public void SendText(long chatId, string text, string languageCode = "en", string? username = null)
    {
        lock (gate)
        {
            var entities = new JsonArray();
            if (text.StartsWith('/'))
            {
                var end = text.IndexOf(' ', StringComparison.Ordinal);
                entities.Add(new JsonObject { ["offset"] = 0, ["length"] = end < 0 ? text.Length : end, ["type"] = "bot_command" });
            }

            updates.Add(new JsonObject
            {
                ["update_id"] = nextUpdateId++,
                ["message"] = new JsonObject
                {
                    ["message_id"] = nextMessageId++,
                    ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                    ["chat"] = new JsonObject { ["id"] = chatId, ["type"] = "private", ["first_name"] = "Test" },
                    ["from"] = new JsonObject { ["id"] = chatId, ["is_bot"] = false, ["first_name"] = "Test", ["username"] = username ?? $"tg{chatId}", ["language_code"] = languageCode },
                    ["text"] = text,
                    ["entities"] = entities,
                },
            });
            Changed();
        }
    }

    /// <summary>The next <paramref name="count"/> sendMessage calls to the chat answer HTTP 500.</summary>
    public void FailNext(long chatId, int count)
    {
        lock (gate)
        {
            failuresLeft[chatId] = count;
        }
    }

    public IReadOnlyList<SentMessage> SentTo(long chatId)
    {
        lock (gate)
        {
            return sent.Where(m => m.ChatId == chatId).ToList();
        }
    }

    public IReadOnlyList<FailedSend> FailedTo(long chatId)
    {
        lock (gate)
        {
            return failed.Where(m => m.ChatId == chatId).ToList();
        }
    }

    /// <summary>
    /// Waits for a message delivered to the chat whose text satisfies <paramref name="match"/>,
    /// among those after the chat's first <paramref name="skip"/> messages.
    /// </summary>
    public async Task<SentMessage> WaitForMessageAsync(long chatId, Func<string, bool> match, TimeSpan? timeout = null, int skip = 0)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            Task next;
            lock (gate)
            {
                var found = sent.Where(m => m.ChatId == chatId).Skip(skip).FirstOrDefault(m => match(m.Text));
                if (found is not null)
                {
                    return found;
                }

                next = changed.Task;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"No such message to chat {chatId}; it got: {string.Join(" | ", SentTo(chatId).Select(m => m.Text))}");
            }

            await Task.WhenAny(next, Task.Delay(left));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext http, string token, string method)
    {
        calls.Enqueue(method);
        if (token != Token)
        {
            await ReplyAsync(http, HttpStatusCode.Unauthorized, new JsonObject { ["ok"] = false, ["error_code"] = 401, ["description"] = "Unauthorized" });
            return;
        }

        var body = await ReadBodyAsync(http);
        switch (method)
        {
            case "getMe":
                await OkAsync(http, new JsonObject { ["id"] = 123456789, ["is_bot"] = true, ["first_name"] = "WG-Stream", ["username"] = BotUsername });
                break;
            case "deleteWebhook":
            case "setWebhook":
                await OkAsync(http, true);
                break;
            case "getUpdates":
                await GetUpdatesAsync(http, body);
                break;
            case "sendMessage":
                await SendMessageAsync(http, body);
                break;
            default:
                await ReplyAsync(http, HttpStatusCode.NotFound, new JsonObject { ["ok"] = false, ["error_code"] = 404, ["description"] = "Not Found: method not found" });
                break;
        }
    }

    private async Task GetUpdatesAsync(HttpContext http, JsonObject body)
    {
        var offset = body["offset"]?.GetValue<long>() ?? 0;
        var timeout = Math.Min(body["timeout"]?.GetValue<int>() ?? 0, 10);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(timeout);
        while (true)
        {
            Task next;
            JsonArray result;
            lock (gate)
            {
                // A higher offset confirms everything before it, as in the real API.
                updates.RemoveAll(u => u["update_id"]!.GetValue<long>() < offset);
                result = new JsonArray(updates.Select(u => (JsonNode)u.DeepClone()).ToArray());
                next = changed.Task;
            }

            var left = deadline - DateTime.UtcNow;
            if (result.Count > 0 || left <= TimeSpan.Zero)
            {
                await OkAsync(http, result);
                return;
            }

            try
            {
                await next.WaitAsync(left, http.RequestAborted);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task SendMessageAsync(HttpContext http, JsonObject body)
    {
        var chatId = body["chat_id"] is JsonValue v && v.TryGetValue<long>(out var n) ? n : long.Parse(body["chat_id"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture);
        var text = body["text"]?.GetValue<string>() ?? string.Empty;
        bool fail;
        long id;
        lock (gate)
        {
            fail = failuresLeft.TryGetValue(chatId, out var left) && left > 0;
            if (fail)
            {
                failuresLeft[chatId] = left - 1;
                failed.Add(new FailedSend(chatId, text, DateTimeOffset.UtcNow));
            }

            id = nextMessageId++;
        }

        if (fail)
        {
            await ReplyAsync(http, HttpStatusCode.InternalServerError, new JsonObject { ["ok"] = false, ["error_code"] = 500, ["description"] = "Internal Server Error" });
            return;
        }

        lock (gate)
        {
            sent.Add(new SentMessage(chatId, text, body.ToJsonString(), DateTimeOffset.UtcNow));
            Changed();
        }

        await OkAsync(http, new JsonObject
        {
            ["message_id"] = id,
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["chat"] = new JsonObject { ["id"] = chatId, ["type"] = "private" },
            ["text"] = text,
        });
    }

    private void Changed() => Interlocked.Exchange(ref changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    private static async Task<JsonObject> ReadBodyAsync(HttpContext http)
    {
        if (http.Request.HasJsonContentType())
        {
            return await JsonNode.ParseAsync(http.Request.Body) as JsonObject ?? [];
        }

        if (http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync();
            var json = new JsonObject();
            foreach (var (key, value) in form)
            {
                json[key] = long.TryParse(value, out var number) ? number : value.ToString();
            }

            return json;
        }

        return [];
    }

    private static Task OkAsync(HttpContext http, JsonNode result) =>
        ReplyAsync(http, HttpStatusCode.OK, new JsonObject { ["ok"] = true, ["result"] = result });

    private static async Task ReplyAsync(HttpContext http, HttpStatusCode status, JsonObject body)
    {
        http.Response.StatusCode = (int)status;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(body.ToJsonString());
    }
}

public sealed record SentMessage(long ChatId, string Text, string Json, DateTimeOffset At);

public sealed record FailedSend(long ChatId, string Text, DateTimeOffset At);
