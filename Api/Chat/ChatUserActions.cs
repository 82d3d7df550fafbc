using GraphQL;
using GraphQL.Builders;
using GraphQL.Types;
using WgStream.Api.GraphQL;
using WgStream.GrainInterfaces.Chat;

namespace WgStream.Api.Chat;

/// <summary>The one shape of a chat mutation in which the signed-in user acts on another user in a channel's room.</summary>
public static class ChatUserActions
{
    /// <summary>
    /// <c>name(channelId, userId): Boolean!</c>: calls <paramref name="act"/> with the channel's room,
    /// the signed-in user and the target, and answers true once done. Who may do it is the room
    /// grain's rule; its refusals are the field's errors.
    /// </summary>
    public static FieldBuilder<object?, bool> ChatUserAction(
        this ObjectGraphType mutation, IClusterClient cluster, string name, Func<IChatRoomGrain, Guid, Guid, Task> act) =>
        mutation.Field<NonNullGraphType<BooleanGraphType>, bool>(name)
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .Argument<NonNullGraphType<IdGraphType>>("userId")
            .ResolveAsync(async ctx =>
            {
                var room = cluster.GetGrain<IChatRoomGrain>(Ids.Parse(ctx.GetArgument<string>("channelId"), "channelId"));
                await act(room, ctx.WgUser().RequirePrincipal().UserId, Ids.Parse(ctx.GetArgument<string>("userId"), "userId"));
                return true;
            });
}
