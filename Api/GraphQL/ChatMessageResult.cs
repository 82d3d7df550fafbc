using GraphQL;
using GraphQL.Execution;
using WgStream.GrainInterfaces.Chat;

namespace WgStream.Api.GraphQL;

/// <summary>
/// Whether a subscription result was executed for a chat message (<c>chatMessageAdded</c>, or a
/// <c>chatEvents</c> event of kind MESSAGE_ADDED), so sending it counts as a chat delivery
/// (<c>wg.chat.deliveries</c>); room events such as deletions and bans do not. Reads the one root
/// field's event the way <see cref="EventAuthor"/> does.
/// </summary>
public static class ChatMessageResult
{
    public static bool Is(ExecutionResult result) =>
        result.Data is RootExecutionNode { SubFields: [var field] }
            && (field.Result ?? field.Source) is ChatMessage or ChatEvent { Kind: ChatEventKind.MessageAdded };
}
