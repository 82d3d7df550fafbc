namespace WgStream.Grains.Notifications;

/// <summary>
/// Wakes this silo's idle workers as soon as there is work (a job published here, outbox rows
/// written here), so latency does not wait for the poll interval; work from other silos is found by polling.
/// </summary>
public sealed class NotificationSignal
{
    public Pulse Jobs { get; } = new();

    public Pulse Outbox { get; } = new();

    public sealed class Pulse
    {
        private TaskCompletionSource next = New();

        /// <summary>Wakes every current waiter.</summary>
        public void Set() => Interlocked.Exchange(ref next, New()).TrySetResult();

        /// <summary>Returns when <see cref="Set"/> is called or after <paramref name="timeout"/>.</summary>
        public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
        {
            var pulse = Volatile.Read(ref next).Task;
            try
            {
                await pulse.WaitAsync(timeout, cancellationToken);
            }
            catch (TimeoutException)
            {
            }
        }

        private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
