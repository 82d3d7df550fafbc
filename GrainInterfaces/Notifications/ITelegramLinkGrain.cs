namespace WgStream.GrainInterfaces.Notifications;

/// <summary>
/// Links Telegram chats to accounts and answers what people send the bot. A stateless worker: use
/// key 0.
/// </summary>
public interface ITelegramLinkGrain : IGrainWithIntegerKey
{
    /// <summary>A one-time deep link; only a hash of its token is stored. NOT_FOUND when the server has no bot configured.</summary>
    Task<TelegramConnectLink> CreateLinkAsync(Guid userId);

    /// <summary>True if a chat was linked.</summary>
    Task<bool> DisconnectAsync(Guid userId);

    /// <summary>Handles one message to the bot (<c>/start token</c>, <c>/stop</c>, <c>/me</c>) and replies.</summary>
    Task HandleMessageAsync(TelegramIncomingMessage message);
}
