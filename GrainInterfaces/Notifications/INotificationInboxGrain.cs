using WgStream.GrainInterfaces.Channels;

namespace WgStream.GrainInterfaces.Notifications;

/// <summary>
/// A user's in-app notifications and notification settings, answered from PostgreSQL. A stateless
/// worker: use key 0. The caller passes the signed-in user's id.
/// </summary>
public interface INotificationInboxGrain : IGrainWithIntegerKey
{
    /// <summary>Newest first; cursors are opaque (a malformed one is BAD_USER_INPUT).</summary>
    Task<Page<NotificationItem>> ListAsync(Guid userId, int first, string? after);

    Task<int> CountUnreadAsync(Guid userId);

    /// <summary>Marks the given notifications (of this user), or all of them when null, read; returns the unread count after.</summary>
    Task<int> MarkReadAsync(Guid userId, IReadOnlyList<long>? ids);

    Task<NotificationSettings> GetSettingsAsync(Guid userId);

    /// <summary>Security e-mail cannot be turned off: asking to is BAD_USER_INPUT (field <c>email.security</c>).</summary>
    Task<NotificationSettings> UpdateSettingsAsync(Guid userId, NotificationSettingsUpdate update);
}
