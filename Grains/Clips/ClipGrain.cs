using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Clips;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Streams;
using WgStream.GrainInterfaces.Videos;
using WgStream.Grains.Chat;
using WgStream.Gateways.Media;

namespace WgStream.Grains.Clips;

/// <summary>
/// One clip. Its row is its storage (loaded on activation, written on each change) and its files are
/// under <see cref="ClipKeys.Prefix"/>. Creating it checks everything that can be checked before any
/// work, takes one of the node's cut slots, records it as processing and starts the cut on the
/// grain's own scheduler; the call answers when the cut is done or after
/// <see cref="ClipOptions.AnswerWithin"/>, whichever comes first, and the cut goes on either way.
/// Views are counted in memory and written every <see cref="ClipOptions.ViewFlushInterval"/>.
/// </summary>
public sealed partial class ClipGrain(
    ClipStore store,
    ClipCutter cutter,
    ClipCutSlots slots,
    IMediaStore media,
    IOptions<ClipOptions> options,
    TimeProvider clock,
    ILogger<ClipGrain> logger) : Grain, IClipGrain
{
    private const int MaxViewerKeyLength = 100;

    private readonly HashSet<string> viewers = new(StringComparer.Ordinal);
    private readonly Queue<string> viewerOrder = new();

    private StoredClip? clip;
    /// <summary>The cut started by this activation; running while not completed.</summary>
    private Task? cutting;
    private CancellationTokenSource? stopCutting;
    private long unsavedViews;
    private IGrainTimer? viewFlush;
    private DateTimeOffset lastFlush = DateTimeOffset.MinValue;

    private Guid ClipId => this.GetPrimaryKey();

    private ClipOptions Options => options.Value;

    public override async Task OnActivateAsync(CancellationToken cancellationToken) => clip = await store.LoadAsync(ClipId);

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // A silo stopping mid-cut: the cut is stopped and the clip fails with a reason, rather than staying "processing".
        if (cutting is { IsCompleted: false } running)
        {
            await stopCutting!.CancelAsync();
            await running;
        }

        await FlushViewsAsync();
    }

    public async Task<ClipInfo> CreateAsync(Guid creatorId, ClipRequest request)
    {
        if (clip is not null || cutting is not null)
        {
            throw WgException.Conflict("This clip exists already.");
        }

        var length = CheckLength(request.Length ?? Options.DefaultLength);
        if (request.From is { } asked && (asked < TimeSpan.Zero || asked > TimeSpan.FromDays(7)))
        {
            throw WgException.BadInput("fromSeconds must be a position in the video.", "fromSeconds");
        }

        if (request.VideoId is null && request.From is not null)
        {
            throw WgException.BadInput("A clip of a live stream is its last seconds; fromSeconds is for past broadcasts.", "fromSeconds");
        }

        var title = CleanTitle(request.Title);
        var decision = await GrainFactory.GetGrain<IRateLimitGrain>($"clips:{creatorId:N}").AcquireAsync(Options.CreatePerAccount);
        if (!decision.Allowed)
        {
            var retryAt = decision.RetryAt ?? clock.GetUtcNow() + Options.CreatePerAccount.Window;
            throw WgException.RateLimited(
                $"You can make {Options.CreatePerAccount.Limit} clips every {Minutes(Options.CreatePerAccount.Window)}; try again at {retryAt:HH:mm} UTC.", retryAt);
        }

        if (await GrainFactory.GetGrain<IChannelGrain>(request.ChannelId).GetAsync() is null)
        {
            throw new WgException(ErrorCodes.NotFound, "No such channel.", "channelId");
        }

        if ((await GrainFactory.GetGrain<IChatRoomGrain>(request.ChannelId).GetStandingAsync(creatorId)).Ban is not null)
        {
            throw WgException.Forbidden("You are banned from this channel, so you cannot clip it.");
        }

        var cut = request.VideoId is { } videoId
            ? await PastBroadcastCutAsync(request.ChannelId, videoId, request.From ?? TimeSpan.Zero, length)
            : await LiveCutAsync(request.ChannelId, length);

        var slot = await slots.TryTakeAsync() ?? throw WgException.Busy(
            "Many clips are being made right now; try again in a few seconds.", clock.GetUtcNow() + Options.SlotWait + TimeSpan.FromSeconds(1));
        try
        {
            var now = clock.GetUtcNow();
            var created = new StoredClip(
                ClipId, request.ChannelId, cut.VideoId, creatorId, title, request.VideoId is null, cut.Offset, cut.Media,
                ClipStatus.Processing, null, false, 0, new DateTimeOffset(now.UtcTicks - (now.UtcTicks % 10), TimeSpan.Zero));
            if (!await store.InsertAsync(created))
            {
                clip = await store.LoadAsync(ClipId);
                throw WgException.Conflict("This clip exists already.");
            }

            clip = created;
        }
        catch
        {
            slot.Dispose();
            throw;
        }

        stopCutting = new CancellationTokenSource(Options.ProcessingTimeout, clock);
        DelayDeactivation(Options.ProcessingTimeout + TimeSpan.FromMinutes(1));
        LogCutting(ClipId, request.ChannelId, cut.VideoId, cut.Offset, cut.Media);
        cutting = CutAsync(cut, slot, stopCutting.Token);
        await Task.WhenAny(cutting, Task.Delay(Options.AnswerWithin, clock));
        return clip.ToInfo(media, unsavedViews);
    }

    public async Task<ClipInfo?> GetAsync()
    {
        if (clip is { Status: ClipStatus.Processing } && cutting is not { IsCompleted: false })
        {
            // Processing with no cut running here: the activation that cut it went away (a silo stopped) before it finished.
            await FailAsync("Making the clip was interrupted; make it again.");
        }

        if (clip is null)
        {
            // Anyone may ask for any id: a made-up one must not stay activated until idle collection.
            DeactivateOnIdle();
            return null;
        }

        return clip.ToInfo(media, unsavedViews);
    }

    public async Task DeleteAsync(Guid actorId)
    {
        if (clip is null)
        {
            throw WgException.NotFound("No such clip.");
        }

        if (actorId != clip.CreatorId)
        {
            var standing = await GrainFactory.GetGrain<IChatRoomGrain>(clip.ChannelId).GetStandingAsync(actorId);
            if (!standing.IsBroadcaster && !standing.IsModerator)
            {
                throw WgException.Forbidden("Only the clip's creator and the channel's broadcaster and moderators can delete it.");
            }
        }

        if (cutting is { IsCompleted: false })
        {
            throw WgException.Conflict("The clip is still being made; delete it when it is ready.");
        }

        await RemoveFilesAndRowAsync();
        LogDeleted(ClipId, actorId);
    }

    public async Task RemoveAsync()
    {
        if (cutting is { IsCompleted: false } running)
        {
            await stopCutting!.CancelAsync();
            await running;
        }

        if (clip is not null)
        {
            await RemoveFilesAndRowAsync();
            LogRemoved(ClipId);
        }
    }

    public async Task RecordViewAsync(string viewerKey)
    {
        if (clip is not { Status: ClipStatus.Ready } || string.IsNullOrEmpty(viewerKey) || viewerKey.Length > MaxViewerKeyLength || !viewers.Add(viewerKey))
        {
            return;
        }

        viewerOrder.Enqueue(viewerKey);
        if (viewerOrder.Count > Options.MaxRememberedViewers)
        {
            viewers.Remove(viewerOrder.Dequeue());
        }

        unsavedViews++;

        // A quiet clip's view is written at once (the channel's list reads PostgreSQL); a busy one's
        // are written together, at most once per interval, so a popular clip costs one UPDATE per interval.
        if (clock.GetUtcNow() - lastFlush >= Options.ViewFlushInterval)
        {
            await FlushViewsAsync();
        }
        else
        {
            viewFlush ??= this.RegisterGrainTimer(
                FlushViewsAsync, new GrainTimerCreationOptions(Options.ViewFlushInterval, Options.ViewFlushInterval) { KeepAlive = false });
        }
    }

    private TimeSpan CheckLength(TimeSpan length)
    {
        if (length < TimeSpan.FromSeconds(Options.MinSeconds) || length > TimeSpan.FromSeconds(Options.MaxSeconds))
        {
            throw WgException.BadInput($"A clip is {Options.MinSeconds} to {Options.MaxSeconds} seconds long.", "seconds");
        }

        return length;
    }

    /// <summary>Cleaned like a chat message (control and invisible characters out), 1 to <see cref="ClipOptions.MaxTitleLength"/> characters.</summary>
    private string CleanTitle(string? title)
    {
        try
        {
            return ChatText.Clean(title ?? string.Empty, Options.MaxTitleLength);
        }
        catch (WgException e) when (e.Code == ErrorCodes.BadUserInput)
        {
            throw WgException.BadInput($"Give the clip a title of 1 to {Options.MaxTitleLength} characters.", "title");
        }
    }

    /// <summary>
    /// The last <paramref name="length"/> of the live broadcast's recording. Its newest segment is still
    /// being written, so the clip ends where the last finished one does: up to a segment
    /// (<c>Videos:SegmentDuration</c>) and its upload before "now".
    /// </summary>
    private async Task<ClipCut> LiveCutAsync(Guid channelId, TimeSpan length)
    {
        var live = await GrainFactory.GetGrain<IBroadcasterGrain>(channelId).GetLiveAsync()
            ?? throw WgException.Conflict("The channel is not live; clip one of its past broadcasts instead.");
        var range = await GrainFactory.GetGrain<IVideoGrain>(live.Id).GetRangeAsync(null, length);
        if (range is not { Video.Status: VideoStatus.Recording })
        {
            throw WgException.Conflict("This broadcast is not recorded (the channel keeps no past broadcasts), so it cannot be clipped.");
        }

        var minimum = TimeSpan.FromSeconds(Options.MinSeconds);
        var cut = new ClipCut(live.Id, range.Recorded > length ? range.Recorded - length : TimeSpan.Zero, length, range.Segments);
        if (cut.Media < minimum)
        {
            var retryAt = clock.GetUtcNow() + (minimum - cut.Media) + TimeSpan.FromSeconds(5);
            throw new WgException(
                ErrorCodes.Conflict, $"Only {cut.Media.TotalSeconds:0} s of the broadcast is recorded so far; try again in a few seconds.", retryAt: retryAt);
        }

        return cut;
    }

    /// <summary><paramref name="length"/> from <paramref name="from"/> of a video of the channel (being recorded, or ready); a range running past its end stops there.</summary>
    private async Task<ClipCut> PastBroadcastCutAsync(Guid channelId, Guid videoId, TimeSpan from, TimeSpan length)
    {
        var range = await GrainFactory.GetGrain<IVideoGrain>(videoId).GetRangeAsync(from, length);
        if (range is null || range.Video.ChannelId != channelId)
        {
            throw new WgException(ErrorCodes.NotFound, "This channel has no such video.", "videoId");
        }

        var minimum = TimeSpan.FromSeconds(Options.MinSeconds);
        var latest = range.Recorded - minimum;
        if (from > latest)
        {
            throw WgException.BadInput(
                latest < TimeSpan.Zero
                    ? $"This video is shorter than a clip ({Options.MinSeconds} s)."
                    : $"fromSeconds must be between 0 and {Math.Floor(latest.TotalSeconds).ToString(CultureInfo.InvariantCulture)} in this video ({range.Recorded.TotalSeconds:0} s recorded).",
                "fromSeconds");
        }

        var cut = new ClipCut(videoId, from, length, range.Segments);
        if (cut.Media < minimum)
        {
            throw WgException.BadInput($"Less than {Options.MinSeconds} s is recorded in that range (the recording has a break there).", "fromSeconds");
        }

        return cut;
    }

    private async Task CutAsync(ClipCut cut, IDisposable slot, CancellationToken stop)
    {
        var started = clock.GetTimestamp();
        try
        {
            var made = await cutter.CutAsync(ClipId, cut, stop);
            await store.ReadyAsync(ClipId, made.Offset, made.Duration, made.Bytes, made.HasThumbnail);
            clip = clip! with { Status = ClipStatus.Ready, Offset = made.Offset, Duration = made.Duration, HasThumbnail = made.HasThumbnail };
            slots.Made.Add(1, new KeyValuePair<string, object?>("outcome", "ready"));
            LogReady(ClipId, made.Duration, made.Bytes, clock.GetElapsedTime(started));
        }
        catch (Exception e)
        {
            var reason = e switch
            {
                ClipCutException refused => refused.Message,
                OperationCanceledException when stopCutting!.IsCancellationRequested && clock.GetElapsedTime(started) >= Options.ProcessingTimeout =>
                    "Making the clip took too long; try again.",
                OperationCanceledException => "Making the clip was interrupted; make it again.",
                _ => "The clip could not be made; try again.",
            };
            LogFailed(e, ClipId, reason);
            slots.Made.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));
            try
            {
                await FailAsync(reason);
            }
            catch (Exception again)
            {
                // Left processing: the next read of the clip, or the sweep, fails it.
                LogFailFailed(again, ClipId);
            }
        }
        finally
        {
            slot.Dispose();
            stopCutting?.Dispose();
            stopCutting = null;
        }
    }

    /// <summary>No files may stay behind a failed clip: its prefix goes first (a failure there is left to the sweep, which removes failed clips with their prefix).</summary>
    private async Task FailAsync(string reason)
    {
        try
        {
            await media.DeletePrefixAsync(ClipKeys.Prefix(ClipId));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogCleanupFailed(e, ClipId);
        }

        await store.FailAsync(ClipId, reason);
        clip = clip! with { Status = ClipStatus.Failed, Failure = reason, HasThumbnail = false };
    }

    /// <summary>Files first: a failure leaves the row, so whoever removes it can try again, and no file is left unlisted.</summary>
    private async Task RemoveFilesAndRowAsync()
    {
        await media.DeletePrefixAsync(ClipKeys.Prefix(ClipId));
        await store.DeleteAsync(ClipId);
        clip = null;
        unsavedViews = 0;
        viewFlush?.Dispose();
        viewFlush = null;
        DeactivateOnIdle();
    }

    private async Task FlushViewsAsync()
    {
        if (unsavedViews == 0 || clip is null)
        {
            return;
        }

        var views = unsavedViews;
        lastFlush = clock.GetUtcNow();
        await store.AddViewsAsync(ClipId, views);
        unsavedViews -= views;
        clip = clip with { Views = clip.Views + views };
    }

    private static string Minutes(TimeSpan window) =>
        window.TotalMinutes >= 1 ? $"{window.TotalMinutes:0.#} minutes" : $"{window.TotalSeconds:0} seconds";

    [LoggerMessage(Level = LogLevel.Information, Message = "Clip {ClipId}: cutting channel {ChannelId}'s video {VideoId} from {Offset} for {Length}")]
    private partial void LogCutting(Guid clipId, Guid channelId, Guid videoId, TimeSpan offset, TimeSpan length);

    [LoggerMessage(Level = LogLevel.Information, Message = "Clip {ClipId} is ready ({Duration}, {Bytes} bytes, cut in {Elapsed})")]
    private partial void LogReady(Guid clipId, TimeSpan duration, long bytes, TimeSpan elapsed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Clip {ClipId} failed: {Reason}")]
    private partial void LogFailed(Exception exception, Guid clipId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Clip {ClipId}: could not record its failure")]
    private partial void LogFailFailed(Exception exception, Guid clipId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Clip {ClipId}: could not remove its files")]
    private partial void LogCleanupFailed(Exception exception, Guid clipId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Clip {ClipId} deleted by {ActorId}")]
    private partial void LogDeleted(Guid clipId, Guid actorId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Clip {ClipId} removed")]
    private partial void LogRemoved(Guid clipId);
}
