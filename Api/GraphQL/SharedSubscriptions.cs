using System.Collections.Concurrent;
using GraphQL;
using WgStream.Api.Auth;
using WgStream.Api.Realtime;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Common;
using WgStream.ServiceDefaults;

namespace WgStream.Api.GraphQL;

/// <summary>One subscriber of a shared subscription: a graphql-transport-ws operation id on one socket.</summary>
public interface ISharedSubscriptionMember
{
    /// <summary>
    /// A result, already serialized (the <c>payload</c> of a <c>next</c> message); the member adds
    /// its own framing, or skips it when <paramref name="authorId"/> is someone its viewer blocked. Must not block.
    /// </summary>
    /// <returns>Whether it was queued to the member's socket.</returns>
    bool Next(ReadOnlyMemory<byte> payload, Guid? authorId, SendBatch batch);

    /// <summary>The subscription ended: completed (no errors) or failed.</summary>
    void End(ExecutionErrors? errors);
}

/// <summary>
/// Live subscriptions executed once per event for all their subscribers on this node. Subscribers
/// whose document, operation, variables and language are equal, and whose document reaches no
/// field that depends on the viewer (<see cref="ViewerDependence"/>), join one group: the
/// subscription is executed once (as an anonymous viewer), each event's result is executed and
/// serialized to UTF-8 once, and every member socket only frames those bytes with its own id.
/// The group ends when its last member leaves. A chat message's sends are counted
/// (<c>wg.chat.deliveries</c>) once per event per group, not per socket.
/// </summary>
public sealed partial class SharedSubscriptions(
    WgSchema schema,
    GraphQLRequestExecutor executor,
    GraphQLJson json,
    IServiceScopeFactory scopes,
    WgMetrics metrics,
    ILogger<SharedSubscriptions> logger)
{
    private readonly WgMetrics metrics = metrics;
    private readonly GraphQLRequestExecutor executor = executor;
    private readonly GraphQLJson json = json;
    private readonly IServiceScopeFactory scopes = scopes;
    private readonly ILogger logger = logger;
    private readonly ConcurrentDictionary<string, Group> groups = new(StringComparer.Ordinal);
    private readonly Lazy<WgSchema> initialised = new(() =>
    {
        schema.Initialize();
        return schema;
    });

    /// <summary>Groups executing on this node.</summary>
    public int Count => groups.Count;

    /// <summary>Whether this parsed subscription may be shared: its document reaches no viewer-dependent field.</summary>
    public bool CanShare(PreparedRequest prepared) =>
        prepared is { Document: { } document, Definition: { } operation } && !ViewerDependence.Reaches(initialised.Value, document, operation);

    /// <summary>
    /// Joins (or starts) the group for this request. When the subscription cannot start (a bad
    /// argument, an unknown channel), returns the result that says why, as it would have been for
    /// this subscriber alone; otherwise a handle that leaves the group.
    /// </summary>
    public async Task<SharedJoin> JoinAsync(PreparedRequest prepared, string? variablesJson, string language, ISharedSubscriptionMember member)
    {
        var key = string.Join('\n', language, prepared.Request.OperationName ?? string.Empty, variablesJson ?? "null", prepared.Request.Query);
        while (true)
        {
            var group = groups.GetOrAdd(key, k => new Group(k, this));
            ExecutionResult? refusal;
            try
            {
                refusal = await group.StartAsync(prepared, language);
            }
            catch
            {
                groups.TryRemove(new KeyValuePair<string, Group>(key, group));
                throw;
            }

            if (refusal is not null)
            {
                // Nothing is streaming; the next subscriber tries afresh (the channel may exist by then).
                groups.TryRemove(new KeyValuePair<string, Group>(key, group));
                await group.CloseAsync();
                return new SharedJoin(null, refusal);
            }

            if (group.TryAdd(member))
            {
                return new SharedJoin(new Leaver(group, member), null);
            }

            // The group closed as its last member left while we waited: start a new one.
        }
    }

    private void Remove(Group group) => groups.TryRemove(new KeyValuePair<string, Group>(group.Key, group));

    [LoggerMessage(Level = LogLevel.Warning, Message = "A shared subscription's source failed")]
    private partial void LogSourceFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "A shared subscription member failed")]
    private partial void LogMemberFailed(Exception exception);

    private sealed class Group(string key, SharedSubscriptions owner) : IObserver<ExecutionResult>
    {
        private readonly Lock gate = new();
        private readonly CancellationTokenSource stop = new();
        private readonly MemberSet<ISharedSubscriptionMember, ISharedSubscriptionMember> members = new(ReferenceEqualityComparer.Instance);
        private Task<ExecutionResult?>? started;
        private IObservable<ExecutionResult>? source;
        private IDisposable? subscription;
        private AsyncServiceScope? scope;
        private bool closed;

        public string Key { get; } = key;

        /// <summary>Executes the subscription once, however many members wait for it; null when it streams.</summary>
        public Task<ExecutionResult?> StartAsync(PreparedRequest prepared, string language)
        {
            lock (gate)
            {
                return started ??= RunAsync(prepared, language);
            }
        }

        private async Task<ExecutionResult?> RunAsync(PreparedRequest prepared, string language)
        {
            var services = owner.scopes.CreateAsyncScope();
            scope = services;
            var anonymous = new WgUserContext(null, new ClientInfo(null, null), http: null) { Language = language };
            var result = await owner.executor.ExecuteAsync(prepared, anonymous, services.ServiceProvider, stop.Token);
            if (result.Streams is not { Count: 1 })
            {
                return result;
            }

            source = result.Streams.Values.Single();
            return null;
        }

        /// <summary>Adds a member; the first one starts the flow of events.</summary>
        public bool TryAdd(ISharedSubscriptionMember member)
        {
            lock (gate)
            {
                if (closed)
                {
                    return false;
                }

                members.TryAdd(member, member);
                subscription ??= source!.Subscribe(this);
                return true;
            }
        }

        public async Task RemoveAsync(ISharedSubscriptionMember member)
        {
            lock (gate)
            {
                if (members.Remove(member) != 0)
                {
                    // Not a member, or others remain.
                    return;
                }

                // Closed under the same lock that saw it empty, so no member can join a dying group.
                closed = true;
            }

            owner.Remove(this);
            await ReleaseAsync();
        }

        /// <summary>Closes a group no member has joined yet (it refused to start).</summary>
        public Task CloseAsync()
        {
            lock (gate)
            {
                closed = true;
            }

            return ReleaseAsync();
        }

        private async Task ReleaseAsync()
        {
            IDisposable? toDispose;
            AsyncServiceScope? toEnd;
            lock (gate)
            {
                toDispose = subscription;
                toEnd = scope;
                subscription = null;
                scope = null;
            }

            if (!stop.IsCancellationRequested)
            {
                await stop.CancelAsync();
            }

            toDispose?.Dispose();
            if (toEnd is { } s)
            {
                await s.DisposeAsync();
            }
        }

        public void OnNext(ExecutionResult value)
        {
            // Executed once for the whole group; serialized once; each member frames these bytes.
            var payload = owner.json.ToUtf8<ExecutionResult>(value);
            var author = SubscriptionEvent.AuthorOf(value);
            var batch = new SendBatch();
            var sent = 0;
            foreach (var member in members.Snapshot())
            {
                try
                {
                    if (member.Next(payload, author, batch))
                    {
                        sent++;
                    }
                }
                catch (Exception e)
                {
                    owner.LogMemberFailed(e);
                }
            }

            batch.Start();
            if (sent > 0 && SubscriptionEvent.IsChatMessage(value))
            {
                owner.metrics.ChatDeliveries.Add(sent, WgMetrics.GraphQLWsTransport);
            }
        }

        public void OnError(Exception error)
        {
            owner.LogSourceFailed(error);
            End(new ExecutionErrors { new ExecutionError("The subscription ended unexpectedly.") { Code = ErrorCodes.Internal } });
        }

        public void OnCompleted() => End(null);

        private void End(ExecutionErrors? errors)
        {
            ISharedSubscriptionMember[] ending;
            lock (gate)
            {
                ending = members.Clear();
                closed = true;
            }

            owner.Remove(this);
            foreach (var member in ending)
            {
                member.End(errors);
            }

            _ = ReleaseAsync();
        }
    }

    private sealed class Leaver(Group group, ISharedSubscriptionMember member) : IDisposable
    {
        private int disposed;

        // Dispose cannot await; leaving touches only this node's memory and the node feed.
        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                _ = group.RemoveAsync(member);
            }
        }
    }
}

/// <summary>What joining a shared subscription gave: a handle to leave it, or the result that refused it.</summary>
public sealed record SharedJoin(IDisposable? Membership, ExecutionResult? Refusal);
