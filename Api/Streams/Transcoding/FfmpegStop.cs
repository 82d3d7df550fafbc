using System.Diagnostics;

namespace WgStream.Api.Streams.Transcoding;

/// <summary>How the broadcast's ffmpeg processes (HLS worker, recorder) are stopped.</summary>
public static class FfmpegStop
{
    /// <summary>'q' lets ffmpeg write its last segment and end its playlists; one that does not end within <paramref name="grace"/> is killed.</summary>
    public static async Task GracefullyAsync(Process process, TimeSpan grace)
    {
        try
        {
            if (process.HasExited)
            {
                return;
            }

            await process.StandardInput.WriteAsync('q');
            await process.StandardInput.FlushAsync();
            using var timeout = new CancellationTokenSource(grace);
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
    }
}
