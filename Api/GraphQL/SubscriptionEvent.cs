using GraphQL;
using GraphQL.Execution;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.GraphQL;

/// <summary>
/// The live event a subscription result was executed for. Such a result is a tree whose one root
/// field was resolved from the event itself (graphql-dotnet's subscription strategy); anything else
/// (a query's result) has no event.
/// </summary>
public static class SubscriptionEvent
{
    /// <summary>The event, when it is a <typeparamref name="T"/>.</summary>
    public static T? Find<T>(ExecutionResult result)
        where T : class =>
        result.Data is RootExecutionNode { SubFields: [var field] }
            ? field.Result as T ?? field.Source as T
            : null;

    /// <summary>Who wrote the event (an <see cref="IAuthoredEvent"/>), so it can be kept from those who blocked them; null for events nobody wrote.</summary>
    public static Guid? AuthorOf(ExecutionResult result) => Find<IAuthoredEvent>(result)?.AuthorId;

    /// <summary>
    /// Whether the event is a chat message (<c>chatMessageAdded</c>, or a <c>chatEvents</c> event of
    /// kind MESSAGE_ADDED), so sending it counts as a chat delivery (<c>wg.chat.deliveries</c>);
    /// room events such as deletions and bans do not.
    /// </summary>
    public static bool IsChatMessage(ExecutionResult result) =>
        Find<ChatMessage>(result) is not null || Find<ChatEvent>(result) is { Kind: ChatEventKind.MessageAdded };
}
