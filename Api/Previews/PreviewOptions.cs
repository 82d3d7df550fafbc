namespace WgStream.Api.Previews;

/// <summary>Bound from the <c>Previews</c> section: link previews in the client's index.html.</summary>
public sealed class PreviewOptions
{
    public const string Section = "Previews";

    /// <summary>
    /// How long a page waits for its preview (grain reads). Past it, or if the read fails, the page
    /// is served without a preview: a link preview is never worth a slow or failed page.
    /// </summary>
    public TimeSpan ResolveTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The site's name in previews (og:site_name) and page titles.</summary>
    public string SiteName { get; set; } = "WG-Stream";
}
