namespace WgStream.GrainInterfaces.Notifications;

/// <summary>
/// The producer side of notifications. A stateless worker: call key 0. <see cref="PublishAsync"/>
/// records the event durably (one <c>notification_jobs</c> row) and returns; expanding it into
/// per-recipient notifications and delivering them happens in the background, so a channel with
/// 100,000 followers going live costs its caller one INSERT.
/// </summary>
public interface INotificationDispatchGrain : IGrainWithIntegerKey
{
    Task PublishAsync(NotificationEvent e);
}
