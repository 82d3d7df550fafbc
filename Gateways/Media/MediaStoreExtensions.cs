using Microsoft.Extensions.Logging;

namespace WgStream.Gateways.Media;

public static partial class MediaStoreExtensions
{
    /// <summary>
    /// Deletes objects that nothing refers to any more: the images an upload replaced or a removal took
    /// away, a deleted emote's files, an erased account's images, the files of an upload refused after
    /// they were stored. Best effort: whatever stopped it has already happened, and an object left
    /// behind is only storage, so a failure is logged and never fails the caller.
    /// </summary>
    public static async Task DeleteQuietlyAsync(this IMediaStore store, IEnumerable<string> keys, ILogger logger)
    {
        foreach (var key in keys)
        {
            try
            {
                await store.DeleteAsync(key);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogDeleteFailed(logger, e, key);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete replaced media object {Key}")]
    private static partial void LogDeleteFailed(ILogger logger, Exception exception, string key);
}
