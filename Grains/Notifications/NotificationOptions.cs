namespace WgStream.Grains.Notifications;

/// <summary>Bound from the <c>Notifications</c> section.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>Expand published events into notifications on this silo.</summary>
    public bool ProcessingEnabled { get; set; } = true;

    /// <summary>Deliver the e-mail and Telegram outbox from this silo.</summary>
    public bool DeliveryEnabled { get; set; } = true;

    /// <summary>How often idle workers look for work published on other silos (work published here wakes them at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Followers expanded per transaction when a channel goes live.</summary>
    public int FanoutBatchSize { get; set; } = 5000;

    /// <summary>Jobs expanded at once on this silo (each in its own transaction).</summary>
    public int JobConcurrency { get; set; } = 2;

    /// <summary>Outbox rows delivered at once on this silo (each holds a connection while it sends).</summary>
    public int DeliveryConcurrency { get; set; } = 4;

    /// <summary>Attempts before an outbox row (or a job) is given up as failed.</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>The first retry waits this long; each further one twice as long, up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait between two delivery attempts of a notice (retries back off up to it).</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long one e-mail or Telegram send may take before it counts as failed.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A go-live fan-out with at most this many in-app recipients is also pushed on each one's
    /// <c>notifications</c> stream; larger ones are not (one stream per recipient would cost a
    /// pub-sub lookup each), and their clients refresh <c>unreadNotificationCount</c>.
    /// </summary>
    public int LivePushMaxRecipients { get; set; } = 200;

    /// <summary>Prune old rows from this silo (one silo at a time runs a pass: a PostgreSQL advisory lock elects it).</summary>
    public bool PruningEnabled { get; set; } = true;

    /// <summary>Time between pruning passes; the first runs when the silo has started.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rows one DELETE removes at most (each batch is its own short transaction).</summary>
    public int PruneBatchSize { get; set; } = 1000;

    /// <summary>Finished jobs (done or given up) and settled outbox rows (delivered, failed, skipped) are kept this long.</summary>
    public TimeSpan FinishedRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>An in-app notification is kept this long after it was read.</summary>
    public TimeSpan ReadRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Any notification, read or not, is kept at most this long.</summary>
    public TimeSpan NotificationRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Exponential backoff for the given failed attempt (1-based), with ±10% jitter so retries of one outage spread out.</summary>
    public TimeSpan RetryDelay(int attempt)
    {
        var exponent = Math.Min(Math.Max(attempt - 1, 0), 30);
        var delay = Math.Min(RetryBaseDelay.TotalMilliseconds * Math.Pow(2, exponent), RetryMaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(delay * (0.9 + (Random.Shared.NextDouble() * 0.2)));
    }
}
