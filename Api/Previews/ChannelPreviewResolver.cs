using System.Globalization;
using WgStream.GrainInterfaces.Channels;

namespace WgStream.Api.Previews;

/// <summary>
/// <c>/alice</c>: the channel's name, live state and stream title (with category and viewers), or its
/// bio when offline, and a picture: the live frame or uploaded thumbnail, else the avatar. A channel
/// marked mature shows its avatar only, since a chat app shows the picture to everyone in the chat.
/// Two grain reads from memory (name → id, profile), plus the category's name (a shared directory read).
/// </summary>
public sealed class ChannelPreviewResolver(IClusterClient cluster) : IPagePreviewResolver
{
    public string Route => "{username}";

    public async Task<PagePreview?> ResolveAsync(RouteValueDictionary values, CancellationToken cancellationToken)
    {
        // Only what could be a username reaches a grain: /dashboard and /favicon.ico cost nothing.
        if (values["username"] is not string name || !PreviewText.IsUsername(name)
            || await cluster.GetGrain<IChannelNameGrain>(name.ToLowerInvariant()).GetChannelIdAsync() is not { } id
            || await cluster.GetGrain<IChannelGrain>(id).GetAsync() is not { } channel)
        {
            return null;
        }

        var mature = channel.Classified.Mature;
        var image = PreviewImages.Of(channel, allowFrames: !mature);
        var path = "/" + channel.Username;
        if (channel.Live is { } live)
        {
            var category = live.CategorySlug is { } slug ? (await cluster.GetGrain<IChannelDirectoryGrain>(0).CategoryAsync(slug))?.NameEn : null;
            var viewers = live.ViewerCount == 1 ? "1 viewer" : $"{live.ViewerCount.ToString(CultureInfo.InvariantCulture)} viewers";
            var details = PreviewText.Details(mature ? "Mature content" : null, category, viewers);
            return new PagePreview($"{channel.DisplayName} is live: {live.Title}", $"{live.Title} · {details}", path, "video.other", image);
        }

        var followers = channel.FollowerCount == 1 ? "1 follower" : $"{channel.FollowerCount.ToString(CultureInfo.InvariantCulture)} followers";
        var about = channel.Bio.Length > 0 ? PreviewText.Shorten(channel.Bio, 200) : $"{channel.DisplayName} streams on WG-Stream.";
        var description = PreviewText.Details("Offline", mature ? "Mature content" : null, followers) + ". " + about;
        return new PagePreview(channel.DisplayName, description, path, "profile", image);
    }
}
