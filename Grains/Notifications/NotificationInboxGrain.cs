using Orleans.Concurrency;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Notifications;

namespace WgStream.Grains.Notifications;

[StatelessWorker]
public sealed class NotificationInboxGrain(NotificationInboxStore store, TelegramLinkStore links) : Grain, INotificationInboxGrain
{
    public Task<Page<NotificationItem>> ListAsync(Guid userId, int first, string? after) => store.ListAsync(userId, first, after);

    public Task<int> CountUnreadAsync(Guid userId) => store.CountUnreadAsync(userId);

    public Task<int> MarkReadAsync(Guid userId, IReadOnlyList<long>? ids) => store.MarkReadAsync(userId, ids);

    public async Task<NotificationSettings> GetSettingsAsync(Guid userId)
    {
        var (inApp, email, telegram) = await store.GetSettingsAsync(userId);
        return new NotificationSettings(inApp, email, telegram, await links.IsLinkedAsync(userId));
    }

    public async Task<NotificationSettings> UpdateSettingsAsync(Guid userId, NotificationSettingsUpdate update)
    {
        await store.UpdateSettingsAsync(userId, update);
        return await GetSettingsAsync(userId);
    }
}
