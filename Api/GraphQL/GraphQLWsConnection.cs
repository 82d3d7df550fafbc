using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using GraphQL;
using GraphQL.Transport;
using GraphQLParser.AST;
using WgStream.Api.Accounts;
using WgStream.Api.Auth;
using WgStream.Api.Realtime;
using WgStream.GrainInterfaces.Accounts;
using WgStream.ServiceDefaults;

namespace WgStream.Api.GraphQL;

/// <summary>
/// One WebSocket speaking the graphql-transport-ws protocol
/// (https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md). Reads are processed in
/// order on the receive loop; everything the server sends is serialized to UTF-8 by whoever
/// produces it and goes through one <see cref="WebSocketSender"/>, bounded in bytes
/// (<see cref="GraphQLOptions.SocketSendBudgetBytes"/>): a client that falls behind it is closed
/// with <see cref="SlowConsumerCloseCode"/>, and a write the client does not take within
/// <see cref="GraphQLOptions.SendTimeout"/> aborts the socket.
/// Live subscriptions that do not depend on the viewer are shared across sockets
/// (<see cref="SharedSubscriptions"/>): this socket then only frames bytes serialized once per event.
/// </summary>
public sealed class GraphQLWsConnection : IAsyncDisposable, ISessionConnection
{
    public const string SubProtocol = "graphql-transport-ws";

    /// <summary>Sent to a client that fell too far behind its subscriptions; graphql-ws reconnects on it (it is not one of the protocol's fatal codes).</summary>
    public const int SlowConsumerCloseCode = 4008;

    private static readonly byte[] NextSuffix = "}"u8.ToArray();

    private readonly WebSocket socket;
    private readonly HttpContext http;
    private readonly GraphQLRequestExecutor executor;
    private readonly IGraphQLTextSerializer serializer;
    private readonly GraphQLJson json;
    private readonly SharedSubscriptions shared;
    private readonly SessionAuthenticator authenticator;
    private readonly WebSocketRegistry registry;
    private readonly GraphQLOptions options;
    private readonly WgMetrics metrics;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<string, IDisposable> subscriptions = new();
    private readonly WebSocketSender sender;
    private readonly CancellationTokenSource closing = new();
    private readonly string connectionId = Guid.NewGuid().ToString("N");
    private int slow;
    private readonly TaskCompletionSource initialised = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int initRequests;
    private int closeRequested;
    private SessionPrincipal? principal;
    private WgUserContext? userContext;
    private readonly ViewerBlocks blocks;
    private readonly Lock blockListGate = new();
    private Task<ViewerBlocks.BlockListLease>? blockListLoad;
    private volatile ViewerBlocks.BlockListLease? blockList;

    public GraphQLWsConnection(
        WebSocket socket,
        CoalescingStream? transport,
        HttpContext http,
        GraphQLRequestExecutor executor,
        IGraphQLTextSerializer serializer,
        GraphQLJson json,
        SharedSubscriptions shared,
        SessionAuthenticator authenticator,
        WebSocketRegistry registry,
        ViewerBlocks blocks,
        GraphQLOptions options,
        WgMetrics metrics,
        ILogger logger)
    {
        this.metrics = metrics;
        this.blocks = blocks;
        this.socket = socket;
        this.http = http;
        this.executor = executor;
        this.serializer = serializer;
        this.json = json;
        this.shared = shared;
        this.authenticator = authenticator;
        this.registry = registry;
        this.options = options;
        this.logger = logger;
        sender = new WebSocketSender(socket, transport, options.SocketSendBudgetBytes, options.SendTimeout, logger);
    }

    public string? SessionId => principal?.SessionId;

    public async Task RunAsync()
    {
        var initTimeout = EnforceInitTimeoutAsync();
        try
        {
            await ReceiveLoopAsync();
        }
        finally
        {
            await closing.CancelAsync();
            await Task.WhenAll(sender.CompleteAsync(), initTimeout);
        }
    }

    /// <summary>
    /// Starts the close handshake with a protocol close code. The close frame goes through the
    /// sender, after what is already queued (a WebSocket allows one send at a time); the receive loop then waits for the peer's
    /// close frame, and a peer that never answers is cut off after a grace period.
    /// </summary>
    public Task CloseAsync(int code, string reason)
    {
        if (Interlocked.Exchange(ref closeRequested, 1) == 1)
        {
            return Task.CompletedTask;
        }

        if (!sender.TryClose(code, reason))
        {
            return CancelQuietlyAsync();
        }

        _ = AbortAfterGraceAsync();
        return Task.CompletedTask;
    }

    /// <summary>
    /// The client fell behind its budget: what waits for it is dropped and the close frame goes
    /// next, so it learns why at once instead of after megabytes it is not reading.
    /// </summary>
    private void CloseSlowConsumer()
    {
        if (Interlocked.Exchange(ref slow, 1) == 0)
        {
            logger.LogInformation("Closing a graphql-transport-ws client that fell {Bytes} bytes behind", sender.QueuedBytes);
            sender.DropQueued();
            _ = CloseAsync(SlowConsumerCloseCode, "Too slow: fell behind the live feed; reconnect and reload");
        }
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

        Task<ViewerBlocks.BlockListLease>? load;
        lock (blockListGate)
        {
            load = blockListLoad;
            blockListLoad = Task.FromException<ViewerBlocks.BlockListLease>(new ObjectDisposedException(nameof(GraphQLWsConnection)));
        }

        if (load is not null)
        {
            // A load still under way is released when it ends; the socket is gone either way.
            _ = load.ContinueWith(static t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
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
                    // The same bound as a POST body: a subscribe message carries the same request.
                    if (buffer.WrittenCount > options.MaxRequestBytes)
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
                Send(new OperationMessage { Type = "pong" });
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

            // Registered before the ack, and checked once registered, so a revocation racing with
            // the handshake still closes us.
            if (!await registry.AddLiveAsync(principal.SessionId, this))
            {
                await CloseAsync(4403, "Session revoked");
                return;
            }
        }

        userContext = new WgUserContext(principal, client, http: null) { Language = ClientInfoReader.Language(http), ConnectionId = connectionId };
        initialised.TrySetResult();
        Send(new OperationMessage { Type = "connection_ack" });
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
            SendError(id, "Too many subscriptions on one connection.");
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

        var prepared = executor.Prepare(request);
        var refusal = prepared.Error is not null ? prepared : GraphQLRequestExecutor.RefuseForAnonymous(prepared, options, principal is not null);
        if (refusal is not null)
        {
            SendError(id, refusal.Error!, refusal.ErrorCode);
            return;
        }

        // Reserve the id before executing, so a duplicate arriving meanwhile is caught.
        var slot = new SubscriptionSlot();
        if (!subscriptions.TryAdd(id, slot))
        {
            await CloseAsync(4409, $"Subscriber for {id} already exists");
            return;
        }

        if (prepared.Operation is OperationType.Subscription && !await TryHoldBlockListAsync())
        {
            subscriptions.TryRemove(id, out _);
            SendError(id, "The subscription could not start; try again.", GrainInterfaces.Common.ErrorCodes.Unavailable);
            return;
        }

        if (prepared.Operation is OperationType.Subscription && shared.CanShare(prepared))
        {
            await JoinSharedAsync(id, slot, prepared, payload);
            return;
        }

        ExecutionResult result;
        try
        {
            // Each operation its own context: several may run at once on one socket, each with its own budget.
            result = await executor.ExecuteAsync(prepared, userContext.ForOperation(), http.RequestServices, closing.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (prepared.Operation is not OperationType.Subscription || result.Streams is not { Count: > 0 })
        {
            SendSingleResult(id, result);
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

    /// <summary>
    /// Before a signed-in socket's first subscription: holds the viewer's block list for the rest of
    /// the connection, so live events by users they blocked are not sent to them. False when it
    /// could not be loaded.
    /// </summary>
    private async Task<bool> TryHoldBlockListAsync()
    {
        if (principal is null)
        {
            return true;
        }

        Task<ViewerBlocks.BlockListLease> load;
        lock (blockListGate)
        {
            if (blockListLoad is null || (blockListLoad.IsFaulted && blockListLoad.Exception?.InnerException is not ObjectDisposedException))
            {
                blockListLoad = blocks.AcquireAsync(principal.UserId);
            }

            load = blockListLoad;
        }

        try
        {
            blockList = await load;
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not load a viewer's block list");
            return false;
        }
    }

    private bool Hides(Guid? authorId) => authorId is not null && blockList is { } lease && lease.Hides(authorId);

    /// <summary>Joins the node's shared execution of this subscription: events arrive serialized, and this socket frames them with its id.</summary>
    private async Task JoinSharedAsync(string id, SubscriptionSlot slot, PreparedRequest prepared, JsonElement payload)
    {
        var member = new SharedMember(this, id);
        SharedJoin join;
        try
        {
            join = await shared.JoinAsync(prepared, SharingKey(payload), userContext!.Language, member);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not start a shared subscription");
            if (subscriptions.TryRemove(id, out _))
            {
                var errors = new ExecutionErrors { new ExecutionError("The subscription could not start; try again.") { Code = GrainInterfaces.Common.ErrorCodes.Internal } };
                Send(new OperationMessage { Id = id, Type = "error", Payload = errors });
            }

            return;
        }

        if (join.Refusal is { } refusal)
        {
            SendSingleResult(id, refusal);
            return;
        }

        member.Attach(join.Membership!);
        slot.Attach(member);
        if (!subscriptions.ContainsKey(id))
        {
            slot.Dispose();
        }
    }

    /// <summary>What, besides the document, makes two subscribe payloads execute alike.</summary>
    private static string? SharingKey(JsonElement payload)
    {
        var variables = payload.TryGetProperty("variables", out var v) ? v.GetRawText() : null;
        var extensions = payload.TryGetProperty("extensions", out var x) ? x.GetRawText() : null;
        return extensions is null ? variables : $"{variables}\n{extensions}";
    }

    /// <summary>A result that does not stream: a query or mutation over the socket, or a subscription that could not start.</summary>
    private void SendSingleResult(string id, ExecutionResult result)
    {
        if (!result.Executed && result.Errors is { Count: > 0 })
        {
            subscriptions.TryRemove(id, out _);
            Send(new OperationMessage { Id = id, Type = "error", Payload = result.Errors });
            return;
        }

        if (subscriptions.TryRemove(id, out _))
        {
            var next = new OperationMessage { Id = id, Type = "next", Payload = result };
            using (var written = json.TryWrite(next, options.MaxResponseBytes))
            {
                if (written is null)
                {
                    SendError(id, GraphQLRequestExecutor.ResponseTooLargeMessage(options), GrainInterfaces.Common.ErrorCodes.ResponseTooLarge);
                    return;
                }

                SendBytes(written.WrittenMemory.ToArray());
            }

            Send(new OperationMessage { Id = id, Type = "complete" });
        }
    }

    private void SendError(string id, string message, string code = GrainInterfaces.Common.ErrorCodes.BadUserInput)
    {
        var errors = new ExecutionErrors { new ExecutionError(message) { Code = code } };
        Send(new OperationMessage { Id = id, Type = "error", Payload = errors });
    }

    /// <summary>Serializes the message here, on the producer's thread, and queues its bytes; whether they were queued.</summary>
    private bool Send(OperationMessage message) =>
        Volatile.Read(ref closeRequested) == 0 && SendBytes(json.ToUtf8(message));

    private bool SendBytes(byte[] frame)
    {
        if (Volatile.Read(ref closeRequested) != 0)
        {
            return false;
        }

        if (!sender.TrySend(frame))
        {
            CloseSlowConsumer();
            return false;
        }

        return true;
    }

    /// <summary>A shared result: <paramref name="prefix"/> names this socket's operation id, the payload is everyone's.</summary>
    private bool SendFramed(byte[] prefix, ReadOnlyMemory<byte> payload, SendBatch batch)
    {
        if (Volatile.Read(ref closeRequested) != 0)
        {
            return false;
        }

        if (!sender.TrySend(prefix, payload, NextSuffix, batch))
        {
            CloseSlowConsumer();
            return false;
        }

        return true;
    }

    /// <summary>This socket's place in a shared subscription: frames each shared payload with the operation id.</summary>
    private sealed class SharedMember(GraphQLWsConnection connection, string id) : ISharedSubscriptionMember, IDisposable
    {
        private readonly byte[] prefix = System.Text.Encoding.UTF8.GetBytes($"{{\"id\":{JsonSerializer.Serialize(id)},\"type\":\"next\",\"payload\":");
        private IDisposable? membership;
        private volatile bool stopped;

        public void Attach(IDisposable handle) => membership = handle;

        public bool Next(ReadOnlyMemory<byte> payload, Guid? authorId, SendBatch batch) =>
            !stopped && !connection.Hides(authorId) && connection.SendFramed(prefix, payload, batch);

        public void End(ExecutionErrors? errors)
        {
            if (stopped || !connection.subscriptions.TryRemove(id, out _))
            {
                return;
            }

            connection.Send(errors is null
                ? new OperationMessage { Id = id, Type = "complete" }
                : new OperationMessage { Id = id, Type = "error", Payload = errors });
        }

        public void Dispose()
        {
            stopped = true;
            Interlocked.Exchange(ref membership, null)?.Dispose();
        }
    }

    /// <summary>Delivers a subscription's results as <c>next</c> messages and its end as <c>complete</c>.</summary>
    private sealed class Forwarder(GraphQLWsConnection connection, string id) : IObserver<ExecutionResult>
    {
        public void OnNext(ExecutionResult value)
        {
            // Executed for this socket alone (the document depends on the viewer), so its chat
            // messages are counted here, one at a time, next to a whole execution and serialization.
            if (!connection.Hides(SubscriptionEvent.AuthorOf(value))
                && connection.Send(new OperationMessage { Id = id, Type = "next", Payload = value })
                && SubscriptionEvent.IsChatMessage(value))
            {
                connection.metrics.ChatDeliveries.Add(1, WgMetrics.GraphQLWsTransport);
            }
        }

        public void OnError(Exception error)
        {
            connection.logger.LogWarning(error, "Subscription source failed");
            if (connection.subscriptions.TryRemove(id, out _))
            {
                var errors = new ExecutionErrors { new ExecutionError("The subscription ended unexpectedly.") { Code = GrainInterfaces.Common.ErrorCodes.Internal } };
                connection.Send(new OperationMessage { Id = id, Type = "error", Payload = errors });
            }
        }

        public void OnCompleted()
        {
            if (connection.subscriptions.TryRemove(id, out _))
            {
                connection.Send(new OperationMessage { Id = id, Type = "complete" });
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
