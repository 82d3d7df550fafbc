namespace WgStream.Api.Previews;

/// <summary>
/// What a shared link shows in chat apps and social networks (Open Graph and Twitter card tags) for
/// one page of the web client. Plain text: it is escaped when written into the page.
/// </summary>
/// <param name="Title">The preview's headline (og:title); the page's &lt;title&gt; adds the site's name.</param>
/// <param name="Description">A line or two under it (og:description).</param>
/// <param name="Path">The page's own path, made absolute with <c>Accounts:PublicBaseUrl</c> (og:url, canonical link).</param>
/// <param name="Type">og:type: <c>profile</c>, <c>video.other</c> or <c>website</c>.</param>
/// <param name="Image">The picture, or null for none.</param>
public sealed record PagePreview(string Title, string Description, string Path, string Type, PreviewImage? Image)
{
    /// <summary>A video file a chat app may play inline (og:video), or null.</summary>
    public PreviewVideo? Video { get; init; }
}

/// <summary>
/// A preview picture. <paramref name="Large"/>: a wide frame worth showing big (Twitter's
/// <c>summary_large_image</c>) rather than a square avatar beside the text.
/// </summary>
public sealed record PreviewImage(string Url, int Width, int Height, string Alt, bool Large);

/// <summary>A playable file for og:video: its URL (made absolute like images), MIME type and size.</summary>
public sealed record PreviewVideo(string Url, string ContentType, int Width, int Height);
