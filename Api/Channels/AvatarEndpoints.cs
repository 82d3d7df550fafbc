using System.Globalization;
using System.Text;
using Microsoft.Net.Http.Headers;
using WgStream.GrainInterfaces.Channels;

namespace WgStream.Api.Channels;

/// <summary>
/// <c>GET /avatars/{userId}</c>: a stable address for anyone's small avatar, for places that know only
/// a user id (a chat line). It redirects to the channel's current 70×70 WebP, or draws a placeholder
/// (the initial on a colour from the id) for a channel without one, or one that does not exist.
/// Avatars are replaced and their old files deleted, so a message keeps the id and this address
/// rather than a file name that would break. Browsers keep the answer for a few minutes. The
/// address is anonymous and takes any id: a made-up one is answered through <see cref="KnownChannels"/>
/// (one cached indexed read) without activating a channel grain for it.
/// </summary>
public static class AvatarEndpoints
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(5);

    private static readonly string[] Palette = ["#E5534B", "#F08A24", "#C69026", "#57AB5A", "#39A0A5", "#4493F8", "#8A63D2", "#D261A6", "#6E7681"];

    public static void MapAvatars(this WebApplication app) => app.MapGet("/avatars/{userId:guid}", ServeAsync);

    private static async Task<IResult> ServeAsync(Guid userId, HttpContext http, IClusterClient cluster, KnownChannels known)
    {
        http.Response.Headers[HeaderNames.CacheControl] = $"public, max-age={(int)CacheFor.TotalSeconds}";
        var channel = await known.ExistsAsync(userId) ? await cluster.GetGrain<IChannelGrain>(userId).GetAsync() : null;
        if (channel?.Avatar?.Urls.GetValueOrDefault("70") is { } url)
        {
            return Results.Redirect(url);
        }

        return Results.Text(Placeholder(userId, channel?.DisplayName), "image/svg+xml", Encoding.UTF8);
    }

    /// <summary>A circle in a colour picked by the id, with the name's first letter (escaped: it is user text).</summary>
    internal static string Placeholder(Guid userId, string? name)
    {
        var color = Palette[(int)((uint)userId.GetHashCode() % (uint)Palette.Length)];
        var initial = name is { Length: > 0 } ? char.ToUpper(name[0], CultureInfo.InvariantCulture).ToString() : "?";
        var escaped = System.Net.WebUtility.HtmlEncode(initial);
        return $"""<svg xmlns="http://www.w3.org/2000/svg" width="70" height="70" viewBox="0 0 70 70"><circle cx="35" cy="35" r="35" fill="{color}"/><text x="35" y="46" font-family="sans-serif" font-size="32" font-weight="700" fill="#fff" text-anchor="middle">{escaped}</text></svg>""";
    }
}
