namespace WgStream.Bench.LiveFeed;

/// <summary>
/// What every chat viewer shares: how many senders there are, whether the measured window is
/// open, and the latency histogram. Sender index <see cref="Senders"/> marks warm-up messages.
/// </summary>
public sealed class ChatFeed(int senders)
{
    private volatile bool counting;

    public int Senders { get; } = senders;

    /// <summary>The sender index of warm-up messages: seen, but neither counted nor timed.</summary>
    public int WarmUpSender => Senders;

    public bool Counting
    {
        get => counting;
        set => counting = value;
    }

    public LatencyHistogram Latency { get; } = new();
}
