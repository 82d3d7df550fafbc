namespace WgStream.Api.Streams.Transcoding;

/// <summary>How long a broadcast's ffmpeg (HLS worker or WebRTC relay) waits before it is started again: 0.5 s, doubling to 10 s.</summary>
public static class RestartBackoff
{
    public static TimeSpan After(int failures) => TimeSpan.FromMilliseconds(Math.Min(10_000, 250 * (1 << Math.Clamp(failures, 0, 6))));
}
