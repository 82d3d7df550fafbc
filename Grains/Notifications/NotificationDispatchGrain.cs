using Orleans.Concurrency;
using WgStream.GrainInterfaces.Notifications;

namespace WgStream.Grains.Notifications;

[StatelessWorker]
public sealed class NotificationDispatchGrain(NotificationJobStore store, NotificationSignal signal) : Grain, INotificationDispatchGrain
{
    public async Task PublishAsync(NotificationEvent e)
    {
        await store.EnqueueAsync(e);
        signal.Jobs.Set();
    }
}
