using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using GraphQL;
using GraphQL.Transport;
using GraphQLParser.AST;
using WgStream.Api.Auth;
using WgStream.GrainInterfaces.Accounts;

namespace WgStream.Api.GraphQL;

/// <summary>
/// One WebSocket speaking the graphql-transport-ws protocol
/// (https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md). Reads are processed in
/// order on the receive loop; everything the server sends goes through one outgoing queue and one
/// writer, because a WebSocket allows only one send at a time.
/// </summary>
public sealed class GraphQLWsConnection : IAsyncDisposable, ISessionConnection
{
    public const string SubProtocol = "graphql-transport-ws";

    private readonly WebSocket socket;
    private readonly HttpContext http;
    private readonly GraphQLRequestExecutor executor;
    private readonly IGraphQLTextSerializer serializer;
    private readonly SessionAuthenticator authenticator;
    private readonly WebSocketRegistry registry;
    private readonly GraphQLOptions options;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<string, IDisposable> subscriptions = new();
    private readonly Channel<Outgoing> outgoing = Channel.CreateBounded<Outgoing>(
        new BoundedChannelOptions(1024) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource closing = new();
    private readonly TaskCompletionSource initialised = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int initRequests;
    private int closeRequested;
    private SessionPrincipal? principal;
    private WgUserContext? userContext;

    public GraphQLWsConnection(
        WebSocket socket,
        HttpContext http,
        GraphQLRequestExecutor executor,
        IGraphQLTextSerializer serializer,
        SessionAuthenticator authenticator,
        WebSocketRegistry registry,
        GraphQLOptions options,
        ILogger logger)
    {
        this.socket = socket;
        this.http = http;
        this.executor = executor;
        this.serializer = serializer;
        this.authenticator = authenticator;
        this.registry = registry;
        this.options = options;
        this.logger = logger;
    }

    public string? SessionId => principal?.SessionId;

    public async Task RunAsync()
    {
        var writer = WriteLoopAsync();
        var initTimeout = EnforceInitTimeoutAsync();
        try
        {
            await ReceiveLoopAsync();
        }
        finally
        {
            await closing.CancelAsync();
            outgoing.Writer.TryComplete();
            await Task.WhenAll(writer, initTimeout);
        }
    }

    /// <summary>
    /// Starts the close handshake with a protocol close code. The close frame goes through the
    /// writer (a WebSocket allows one send at a time); the receive loop then waits for the peer's
    /// close frame, and a peer that never answers is cut off after a grace period.
    /// </summary>
    public Task CloseAsync(int code, string reason)
    {
        if (Interlocked.Exchange(ref closeRequested, 1) == 1)
        {
            return Task.CompletedTask;
        }

        if (!outgoing.Writer.TryWrite(new Outgoing(null, code, reason)))
        {
            // The queue is full of unsent messages: this client is not reading, so do not wait for it.
            return CancelQuietlyAsync();
        }

        _ = AbortAfterGraceAsync();
        return Task.CompletedTask;
    }

    private async Task CancelQuietlyAsync()
    {
        try
        {
            await closing.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task AbortAfterGraceAsync()
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(5), closing.Token);
            await closing.CancelAsync();
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var subscription in subscriptions.Values)
        {
            subscription.Dispose();
        }

        subscriptions.Clear();
        if (principal is not null)
        {
            registry.Remove(principal.SessionId, this);
        }

        closing.Dispose();
        await Task.CompletedTask;
    }

    private async Task EnforceInitTimeoutAsync()
    {
        var timeout = Task.Delay(options.ConnectionInitTimeout, closing.Token);
        try
        {
            if (await Task.WhenAny(initialised.Task, timeout) == timeout && !initialised.Task.IsCompleted)
            {
                await CloseAsync(4408, "Connection initialisation timeout");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new ArrayBufferWriter<byte>();
        while (socket.State is WebSocketState.Open or WebSocketState.CloseSent && !closing.IsCancellationRequested)
        {
            buffer.Clear();
            ValueWebSocketReceiveResult received;
            try
            {
                do
                {
                    received = await socket.ReceiveAsync(buffer.GetMemory(4096), closing.Token);
                    buffer.Advance(received.Count);
                    if (buffer.WrittenCount > 1024 * 1024)
                    {
                        await CloseAsync(4400, "Message too large");
                        return;
                    }
                }
                while (!received.EndOfMessage);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                return;
            }

            if (received.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            if (received.MessageType != WebSocketMessageType.Text)
            {
                await CloseAsync(4400, "Binary messages are not part of the protocol");
                return;
            }

            if (Volatile.Read(ref closeRequested) == 0)
            {
                await HandleMessageAsync(buffer.WrittenMemory);
            }
        }
    }

    private async Task HandleMessageAsync(ReadOnlyMemory<byte> data)
    {
        string? type, id;
        JsonElement payload;
        try
        {
            using var json = JsonDocument.Parse(data);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var t) || t.ValueKind != JsonValueKind.String)
            {
                await CloseAsync(4400, "Invalid message: no type");
                return;
            }

            type = t.GetString();
            id = root.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
            payload = root.TryGetProperty("payload", out var p) ? p.Clone() : default;
        }
        catch (JsonException)
        {
            await CloseAsync(4400, "Invalid message: not JSON");
            return;
        }

        switch (type)
        {
            case "connection_init":
                await OnConnectionInitAsync(payload);
                break;
            case "ping":
                await SendAsync(new OperationMessage { Type = "pong" });
                break;
            case "pong":
                break;
            case "subscribe":
                await OnSubscribeAsync(id, payload);
                break;
            case "complete":
                if (id is not null && subscriptions.TryRemove(id, out var subscription))
                {
                    subscription.Dispose();
                }

                break;
            default:
                await CloseAsync(4400, $"Invalid message type: {type}");
                break;
        }
    }

    private async Task OnConnectionInitAsync(JsonElement payload)
    {
        if (Interlocked.Increment(ref initRequests) > 1)
        {
            await CloseAsync(4429, "Too many initialisation requests");
            return;
        }

        if (payload.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.Object))
        {
            await CloseAsync(4400, "Invalid message: the connection_init payload must be an object");
            return;
        }

        var client = ClientInfoReader.Read(http);
        var token = ReadToken(payload) ?? SessionAuthenticator.ReadToken(http.Request);
        if (token is not null)
        {
            try
            {
                principal = await authenticator.AuthenticateAsync(token, client.IpAddress);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The cluster is briefly unreachable: 1011 tells the client to reconnect later.
                logger.LogWarning(e, "Could not authenticate a graphql-transport-ws connection");
                await CloseAsync(1011, "Internal error; reconnect");
                return;
            }

            if (principal is null)
            {
                await CloseAsync(4403, "Forbidden");
                return;
            }

            // Registered before the ack, so a revocation racing with the handshake still closes us.
            registry.Add(principal.SessionId, this);
        }

        userContext = new WgUserContext(principal, client, http: null) { Language = ClientInfoReader.Language(http) };
        initialised.TrySetResult();
        await SendAsync(new OperationMessage { Type = "connection_ack" });
    }

    private static string? ReadToken(JsonElement payload)
    {
        if (payload.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in payload.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                continue;
            }

            var value = property.Value.GetString()!;
            if (property.NameEquals("token"))
            {
                return value;
            }

            if (string.Equals(property.Name, "authorization", StringComparison.OrdinalIgnoreCase)
                && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                return value["Bearer ".Length..].Trim();
            }
        }

        return null;
    }

    private async Task OnSubscribeAsync(string? id, JsonElement payload)
    {
        if (userContext is null)
        {
            await CloseAsync(4401, "Unauthorized");
            return;
        }

        if (string.IsNullOrEmpty(id) || payload.ValueKind != JsonValueKind.Object)
        {
            await CloseAsync(4400, "Invalid message: subscribe needs an id and a payload");
            return;
        }

        if (subscriptions.ContainsKey(id))
        {
            await CloseAsync(4409, $"Subscriber for {id} already exists");
            return;
        }

        if (subscriptions.Count >= options.MaxSubscriptionsPerSocket)
        {
            await SendErrorAsync(id, "Too many subscriptions on one connection.");
            return;
        }

        GraphQLRequest? request;
        try
        {
            request = serializer.ReadNode<GraphQLRequest>(payload);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            request = null;
        }

        if (request is null)
        {
            await CloseAsync(4400, "Invalid message: the subscribe payload is not a GraphQL request");
            return;
        }

        var prepared = GraphQLRequestExecutor.Prepare(request);
        if (prepared.Error is not null)
        {
            await SendErrorAsync(id, prepared.Error);
            return;
        }

        // Reserve the id before executing, so a duplicate arriving meanwhile is caught.
        var slot = new SubscriptionSlot();
        if (!subscriptions.TryAdd(id, slot))
        {
            await CloseAsync(4409, $"Subscriber for {id} already exists");
            return;
        }

        ExecutionResult result;
        try
        {
            result = await executor.ExecuteAsync(prepared, userContext, http.RequestServices, closing.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (prepared.Operation is not OperationType.Subscription || result.Streams is not { Count: > 0 })
        {
            if (!result.Executed && result.Errors is { Count: > 0 })
            {
                subscriptions.TryRemove(id, out _);
                await SendAsync(new OperationMessage { Id = id, Type = "error", Payload = result.Errors });
                return;
            }

            if (subscriptions.TryRemove(id, out _))
            {
                await SendAsync(new OperationMessage { Id = id, Type = "next", Payload = result });
                await SendAsync(new OperationMessage { Id = id, Type = "complete" });
            }

            return;
        }

        var source = result.Streams.Values.Single();
        slot.Attach(source.Subscribe(new Forwarder(this, id)));
        if (!subscriptions.ContainsKey(id))
        {
            // The client completed it while we were setting up.
            slot.Dispose();
        }
    }

    private Task SendErrorAsync(string id, string message)
    {
        var errors = new ExecutionErrors { new ExecutionError(message) { Code = GrainInterfaces.Common.ErrorCodes.BadUserInput } };
        return SendAsync(new OperationMessage { Id = id, Type = "error", Payload = errors });
    }

    private async Task SendAsync(OperationMessage message)
    {
        try
        {
            if (Volatile.Read(ref closeRequested) == 0)
            {
                await outgoing.Writer.WriteAsync(new Outgoing(message, null, null), closing.Token);
            }
        }
        catch (Exception e) when (e is ChannelClosedException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            await foreach (var item in outgoing.Reader.ReadAllAsync(closing.Token))
            {
                if (item.Message is { } message)
                {
                    var bytes = serializer.Serialize(message);
                    await socket.SendAsync(System.Text.Encoding.UTF8.GetBytes(bytes), WebSocketMessageType.Text, true, closing.Token);
                }
                else
                {
                    await socket.CloseOutputAsync((WebSocketCloseStatus)item.CloseCode!.Value, item.Reason, closing.Token);
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "graphql-transport-ws writer failed");
        }
    }

    /// <summary>Either a protocol message or the instruction to send a close frame.</summary>
    private sealed record Outgoing(OperationMessage? Message, int? CloseCode, string? Reason);

    /// <summary>Delivers a subscription's results as <c>next</c> messages and its end as <c>complete</c>.</summary>
    private sealed class Forwarder(GraphQLWsConnection connection, string id) : IObserver<ExecutionResult>
    {
        public void OnNext(ExecutionResult value) =>
            _ = connection.SendAsync(new OperationMessage { Id = id, Type = "next", Payload = value });

        public void OnError(Exception error)
        {
            connection.logger.LogWarning(error, "Subscription source failed");
            if (connection.subscriptions.TryRemove(id, out _))
            {
                var errors = new ExecutionErrors { new ExecutionError("The subscription ended unexpectedly.") { Code = GrainInterfaces.Common.ErrorCodes.Internal } };
                _ = connection.SendAsync(new OperationMessage { Id = id, Type = "error", Payload = errors });
            }
        }

        public void OnCompleted()
        {
            if (connection.subscriptions.TryRemove(id, out _))
            {
                _ = connection.SendAsync(new OperationMessage { Id = id, Type = "complete" });
            }
        }
    }

    /// <summary>Holds a subscription's place from the moment its id is accepted until it is torn down.</summary>
    private sealed class SubscriptionSlot : IDisposable
    {
        private IDisposable? inner;
        private bool disposed;

        public void Attach(IDisposable subscription)
        {
            lock (this)
            {
                if (!disposed)
                {
                    inner = subscription;
                    return;
                }
            }

            subscription.Dispose();
        }

        public void Dispose()
        {
            IDisposable? toDispose;
            lock (this)
            {
                disposed = true;
                toDispose = inner;
                inner = null;
            }

            toDispose?.Dispose();
        }
    }
}
