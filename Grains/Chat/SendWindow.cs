namespace WgStream.Grains.Chat;

/// <summary>A sender's messages within the flood limit's window: how many, and when the oldest of them was sent.</summary>
public readonly record struct SendWindow(int Count, DateTimeOffset Oldest)
{
    public static SendWindow Empty => default;
}
