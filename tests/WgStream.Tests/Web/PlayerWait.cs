using Microsoft.Playwright;

namespace WgStream.Tests.Web;

/// <summary>Waiting on the channel page's video element, for every browser test that plays a stream.</summary>
internal static class PlayerWait
{
    /// <summary>
    /// Bounded polling in the page until <paramref name="condition"/> (JavaScript over the video
    /// element <c>v</c> and <c>arg</c>) holds; a timeout says what state the player was in, with the
    /// page's console.
    /// </summary>
    public static async Task UntilAsync(IPage page, string condition, IEnumerable<string> console, object? arg = null)
    {
        try
        {
            await page.WaitForFunctionAsync(
                $"arg => {{ const v = document.querySelector('[data-testid=player]'); return v !== null && ({condition}); }}",
                arg,
                new() { Timeout = 45_000, PollingInterval = 250 });
        }
        catch (TimeoutException e)
        {
            var state = await page.EvaluateAsync<string>(
                "() => { const v = document.querySelector('[data-testid=player]'); return v === null ? 'no player' : "
                + "JSON.stringify({ mode: v.dataset.mode, readyState: v.readyState, networkState: v.networkState, currentTime: v.currentTime, paused: v.paused, "
                + "videoWidth: v.videoWidth, videoHeight: v.videoHeight, stream: v.srcObject !== null, error: v.error?.message ?? v.error?.code ?? null, "
                + "fallback: document.querySelector('[data-testid=low-latency-fallback]')?.textContent ?? null, "
                + "h264: MediaSource.isTypeSupported('video/mp4; codecs=\"avc1.42E01E,mp4a.40.2\"') }); }");
            throw new TimeoutException($"The player never got to {condition}: {state}\n{string.Join('\n', console)}", e);
        }
    }
}
